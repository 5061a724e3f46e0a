// `require('uuid')` for scripts: v4 from the host's generator.
export default function (native) {
  const v4 = () => native.uuid();
  return {
    v4: v4,
    v1: v4,
    NIL: '00000000-0000-0000-0000-000000000000',
    validate: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(s)),
  };
}
