// `CryptoJS` and `require('crypto-js')` for scripts: CryptoJS's WordArray, encoders, hashes,
// HMACs and AES (CBC, PKCS#7, OpenSSL's salted passphrase format), over the host's hashing and
// cipher crates. Bytes travel as hex between here and the host.
export default function (native) {
  function WordArray(hex) {
    this._hex = hex || '';
  }
  Object.defineProperty(WordArray.prototype, 'sigBytes', { get() { return this._hex.length / 2; } });
  Object.defineProperty(WordArray.prototype, 'words', {
    get() {
      const w = [];
      for (let i = 0; i < this._hex.length; i += 8) w.push(parseInt((this._hex.slice(i, i + 8) + '00000000').slice(0, 8), 16) | 0);
      return w;
    },
  });
  WordArray.prototype.toString = function (encoder) { return (encoder || Hex).stringify(this); };
  WordArray.prototype.concat = function (other) { this._hex += other._hex; return this; };
  WordArray.prototype.clone = function () { return new WordArray(this._hex); };
  WordArray.create = function (words, sigBytes) {
    if (words instanceof WordArray) return words.clone();
    let hex = '';
    (words || []).forEach((w) => { hex += ('00000000' + (w >>> 0).toString(16)).slice(-8); });
    return new WordArray(sigBytes === undefined ? hex : hex.slice(0, sigBytes * 2));
  };
  WordArray.random = (n) => new WordArray(native.randomHex(n));

  const Hex = { stringify: (wa) => wa._hex, parse: (s) => new WordArray(String(s).toLowerCase()) };
  const Utf8 = { stringify: (wa) => native.hexUtf8(wa._hex), parse: (s) => new WordArray(native.utf8Hex(String(s))) };
  const Latin1 = { stringify: (wa) => native.hexLatin1(wa._hex), parse: (s) => new WordArray(native.latin1Hex(String(s))) };
  const Base64 = { stringify: (wa) => native.hexBase64(wa._hex), parse: (s) => new WordArray(native.base64Hex(String(s))) };
  const Base64url = {
    stringify: (wa) => native.hexBase64(wa._hex).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    parse: (s) => new WordArray(native.base64Hex(String(s).replace(/-/g, '+').replace(/_/g, '/'))),
  };
  const bytes = (m) => (m instanceof WordArray ? m : Utf8.parse(m === undefined || m === null ? '' : m));

  const C = { lib: { WordArray: WordArray }, enc: { Hex: Hex, Utf8: Utf8, Latin1: Latin1, Base64: Base64, Base64url: Base64url, Utf16: Utf8 }, algo: {} };
  [['MD5', 'md5'], ['SHA1', 'sha1'], ['SHA224', 'sha224'], ['SHA256', 'sha256'], ['SHA384', 'sha384'], ['SHA512', 'sha512']].forEach((p) => {
    C[p[0]] = (m) => new WordArray(native.digest(p[1], bytes(m)._hex));
    C['Hmac' + p[0]] = (m, key) => new WordArray(native.hmac(p[1], bytes(key)._hex, bytes(m)._hex));
    C.algo[p[0]] = { name: p[1], create: () => hasher(p[1]) };
  });
  function hasher(alg) {
    let hex = '';
    return {
      update(m) { hex += bytes(m)._hex; return this; },
      finalize(m) { if (m !== undefined) hex += bytes(m)._hex; return new WordArray(native.digest(alg, hex)); },
      reset() { hex = ''; },
    };
  }
  C.HmacSHA256.create = undefined;
  C.algo.HMAC = {
    create(algo, key) {
      let hex = '';
      return {
        update(m) { hex += bytes(m)._hex; return this; },
        finalize(m) { if (m !== undefined) hex += bytes(m)._hex; return new WordArray(native.hmac(algo.name, bytes(key)._hex, hex)); },
      };
    },
  };

  // OpenSSL's EVP_BytesToKey with MD5, as CryptoJS derives a key and IV from a passphrase.
  function derive(pass, saltHex) {
    let out = '', block = '';
    while (out.length < 96) {
      block = native.digest('md5', block + pass._hex + saltHex);
      out += block;
    }
    return { key: out.slice(0, 64), iv: out.slice(64, 96) };
  }
  function CipherParams(p) { Object.assign(this, p); }
  CipherParams.prototype.toString = function (format) {
    if (format && format.stringify) return format.stringify(this);
    const salted = this.salt ? '53616c7465645f5f' + this.salt._hex : '';
    return native.hexBase64(salted + this.ciphertext._hex);
  };
  const OpenSSL = {
    stringify: (cp) => CipherParams.prototype.toString.call(cp),
    parse(text) {
      const hex = native.base64Hex(String(text));
      if (hex.slice(0, 16) === '53616c7465645f5f') return new CipherParams({ salt: new WordArray(hex.slice(16, 32)), ciphertext: new WordArray(hex.slice(32)) });
      return new CipherParams({ ciphertext: new WordArray(hex) });
    },
  };
  C.format = { OpenSSL: OpenSSL };
  C.mode = { CBC: 'cbc', ECB: 'ecb' };
  C.pad = { Pkcs7: 'pkcs7', NoPadding: 'none' };
  C.AES = {
    encrypt(message, key, cfg) {
      cfg = cfg || {};
      const data = bytes(message)._hex;
      if (typeof key === 'string') {
        const salt = native.randomHex(8);
        const d = derive(Utf8.parse(key), salt);
        const ct = native.aes(true, d.key, d.iv, data, cfg.mode || 'cbc', cfg.padding || 'pkcs7');
        return new CipherParams({ ciphertext: new WordArray(ct), key: new WordArray(d.key), iv: new WordArray(d.iv), salt: new WordArray(salt) });
      }
      const iv = cfg.iv ? cfg.iv._hex : '00000000000000000000000000000000';
      const ct = native.aes(true, key._hex, iv, data, cfg.mode || 'cbc', cfg.padding || 'pkcs7');
      return new CipherParams({ ciphertext: new WordArray(ct), key: key, iv: cfg.iv });
    },
    decrypt(cipher, key, cfg) {
      cfg = cfg || {};
      const cp = typeof cipher === 'string' ? OpenSSL.parse(cipher) : cipher;
      if (typeof key === 'string') {
        const d = derive(Utf8.parse(key), cp.salt ? cp.salt._hex : '');
        return new WordArray(native.aes(false, d.key, d.iv, cp.ciphertext._hex, cfg.mode || 'cbc', cfg.padding || 'pkcs7'));
      }
      const iv = cfg.iv ? cfg.iv._hex : '00000000000000000000000000000000';
      return new WordArray(native.aes(false, key._hex, iv, cp.ciphertext._hex, cfg.mode || 'cbc', cfg.padding || 'pkcs7'));
    },
  };
  return C;
}
