// `tv4` for scripts: tv4's validate/validateResult/validateMultiple over the host's JSON Schema
// validator.
export default function (native) {
  function run(data, schema) {
    return native.validateSchema(JSON.stringify(schema), JSON.stringify(data === undefined ? null : data));
  }
  function toError(text) {
    const i = text.indexOf(': ');
    const path = i > 0 && text.charAt(0) === '/' ? text.slice(0, i) : '';
    return { message: path ? text.slice(i + 2) : text, dataPath: path, schemaPath: '', code: 0 };
  }
  const tv4 = {
    error: null,
    missing: [],
    validate(data, schema) {
      const errors = run(data, schema);
      tv4.error = errors.length ? toError(errors[0]) : null;
      return errors.length === 0;
    },
    validateResult(data, schema) {
      const errors = run(data, schema);
      return { valid: errors.length === 0, error: errors.length ? toError(errors[0]) : null, missing: [] };
    },
    validateMultiple(data, schema) {
      const errors = run(data, schema);
      return { valid: errors.length === 0, errors: errors.map(toError), missing: [] };
    },
    addSchema() {},
    addFormat() {},
  };
  return tv4;
}
