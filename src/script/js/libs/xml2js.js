// `xml2Json` and `require('xml2js')` for scripts, over the host's XML parser.
export default function (native) {
  const xml2Json = (xml) => JSON.parse(native.xml(String(xml)));
  function Parser() {}
  Parser.prototype.parseString = function (xml, cb) {
    let result, error = null;
    try { result = xml2Json(xml); } catch (e) { error = e; }
    cb(error, result);
  };
  return {
    xml2Json: xml2Json,
    Parser: Parser,
    parseString: (xml, opts, cb) => new Parser().parseString(xml, typeof opts === 'function' ? opts : cb),
  };
}
