// Node's `Buffer` as Postman's sandbox has it (scripts build Basic auth and signatures with
// `Buffer.from(text).toString('base64')`): bytes in a Uint8Array, with the encodings scripts use
// (utf8, base64, base64url, hex, latin1/binary, ascii). Written for Localpost over the natives.

function utf8Encode(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
    }
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

function utf8Decode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    let c = 0xfffd, n = 1;
    if (b < 0x80) c = b;
    else if (b >= 0xc2 && b < 0xe0 && i + 1 < bytes.length) { c = ((b & 31) << 6) | (bytes[i + 1] & 63); n = 2; }
    else if (b >= 0xe0 && b < 0xf0 && i + 2 < bytes.length) { c = ((b & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63); n = 3; }
    else if (b >= 0xf0 && b < 0xf5 && i + 3 < bytes.length) {
      c = ((b & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63); n = 4;
    }
    out += String.fromCodePoint(c);
    i += n;
  }
  return out;
}

function latin1(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function encoding(e) {
  const n = String(e || 'utf8').toLowerCase().replace('-', '');
  if (['utf8', 'base64', 'base64url', 'hex', 'latin1', 'binary', 'ascii', 'ucs2', 'utf16le'].indexOf(n) < 0) {
    throw new TypeError('Unknown encoding: ' + e);
  }
  return n;
}

export default function (native) {
  class Buffer extends Uint8Array {
    static from(value, enc) {
      if (typeof value === 'string') return Buffer.fromString(value, enc);
      if (value instanceof ArrayBuffer) return new Buffer(value.slice(0));
      if (value && typeof value.length === 'number') return new Buffer(Array.prototype.slice.call(value));
      if (value && value.type === 'Buffer' && Array.isArray(value.data)) return new Buffer(value.data);
      throw new TypeError('The first argument must be a string, Buffer, ArrayBuffer, Array, or array-like object.');
    }
    static fromString(text, enc) {
      switch (encoding(enc)) {
        case 'base64': case 'base64url': {
          const clean = text.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')).replace(/[^A-Za-z0-9+/]/g, '');
          const padded = clean + '==='.slice((clean.length + 3) % 4);
          const bin = native.atob(padded);
          return new Buffer(Array.prototype.map.call(bin, (c) => c.charCodeAt(0)));
        }
        case 'hex': {
          const bytes = [];
          for (let i = 0; i + 1 < text.length; i += 2) {
            const b = parseInt(text.substr(i, 2), 16);
            if (isNaN(b)) break;
            bytes.push(b);
          }
          return new Buffer(bytes);
        }
        case 'latin1': case 'binary': case 'ascii':
          return new Buffer(Array.prototype.map.call(text, (c) => c.charCodeAt(0) & 255));
        case 'ucs2': case 'utf16le': {
          const bytes = [];
          for (let i = 0; i < text.length; i++) { const c = text.charCodeAt(i); bytes.push(c & 255, c >> 8); }
          return new Buffer(bytes);
        }
        default: return new Buffer(utf8Encode(text));
      }
    }
    static alloc(size, fill) { const b = new Buffer(size); if (fill !== undefined) b.fill(typeof fill === 'string' ? fill.charCodeAt(0) : fill); return b; }
    static isBuffer(b) { return b instanceof Buffer; }
    static byteLength(value, enc) { return typeof value === 'string' ? Buffer.from(value, enc).length : value.byteLength; }
    static concat(list, total) {
      const bytes = [];
      list.forEach((b) => { for (let i = 0; i < b.length; i++) bytes.push(b[i]); });
      return new Buffer(total === undefined ? bytes : bytes.slice(0, total));
    }
    toString(enc, start, end) {
      const bytes = Array.prototype.slice.call(this, start || 0, end === undefined ? this.length : end);
      switch (encoding(enc)) {
        case 'base64': return native.btoa(latin1(bytes));
        case 'base64url': return native.btoa(latin1(bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        case 'hex': return bytes.map((b) => (b < 16 ? '0' : '') + b.toString(16)).join('');
        case 'latin1': case 'binary': return latin1(bytes);
        case 'ascii': return latin1(bytes.map((b) => b & 127));
        case 'ucs2': case 'utf16le': {
          let s = '';
          for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
          return s;
        }
        default: return utf8Decode(bytes);
      }
    }
    toJSON() { return { type: 'Buffer', data: Array.prototype.slice.call(this) }; }
    equals(other) { return this.length === other.length && this.every((b, i) => b === other[i]); }
    slice(start, end) { return new Buffer(Array.prototype.slice.call(this, start, end)); }
  }
  return Buffer;
}
