// `require('ajv')` for scripts: Ajv's `compile`/`validate` shape over the host's JSON Schema
// validator (errors as `{ instancePath, message }`).
export default function (native) {
  function run(schema, data) {
    const errors = native.validateSchema(JSON.stringify(schema), JSON.stringify(data === undefined ? null : data));
    return errors.map((e) => {
      const i = e.indexOf(': ');
      return i > 0 && e.charAt(0) === '/' ? { instancePath: e.slice(0, i), message: e.slice(i + 2) } : { instancePath: '', message: e };
    });
  }
  function Ajv() {
    this.errors = null;
  }
  Ajv.prototype.compile = function (schema) {
    const self = this;
    const validate = function (data) {
      const errors = run(schema, data);
      validate.errors = errors.length ? errors : null;
      self.errors = validate.errors;
      return errors.length === 0;
    };
    return validate;
  };
  Ajv.prototype.validate = function (schema, data) {
    return this.compile(schema)(data);
  };
  Ajv.prototype.addSchema = function () { return this; };
  Ajv.prototype.addFormat = function () { return this; };
  Ajv.prototype.errorsText = function (errors) {
    errors = errors || this.errors || [];
    return errors.length ? errors.map((e) => 'data' + e.instancePath + ' ' + e.message).join(', ') : 'No errors';
  };
  Ajv.default = Ajv;
  return Ajv;
}
