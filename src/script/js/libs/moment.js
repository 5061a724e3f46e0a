// `moment` and `require('moment')` for scripts: parsing (ISO 8601, timestamps, Dates, and a
// format string), formatting tokens, arithmetic, comparison, `diff`, `startOf`/`endOf`, UTC and
// local time. Written for Localpost over the engine's `Date`.
export default function () {
  const UNITS = { y: 'year', year: 'year', years: 'year', M: 'month', month: 'month', months: 'month', w: 'week', week: 'week', weeks: 'week',
    d: 'day', day: 'day', days: 'day', date: 'day', h: 'hour', hour: 'hour', hours: 'hour', m: 'minute', minute: 'minute', minutes: 'minute',
    s: 'second', second: 'second', seconds: 'second', ms: 'millisecond', millisecond: 'millisecond', milliseconds: 'millisecond',
    Q: 'quarter', quarter: 'quarter', quarters: 'quarter' };
  const MS = { millisecond: 1, second: 1e3, minute: 6e4, hour: 36e5, day: 864e5, week: 6048e5 };
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const pad = (n, w) => { let s = String(Math.abs(n)); while (s.length < w) s = '0' + s; return (n < 0 ? '-' : '') + s; };
  const ordinal = (n) => { const b = n % 100; return n + (b >= 11 && b <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] || 'th'); };

  function Moment(date, utc) {
    this._d = date;
    this._utc = !!utc;
  }
  const P = Moment.prototype;
  const get = (m, f) => m._d[(m._utc ? 'getUTC' : 'get') + f]();
  const set = (m, f, v) => { m._d[(m._utc ? 'setUTC' : 'set') + f](v); return m; };
  P.isValid = function () { return !isNaN(this._d.getTime()); };
  P.valueOf = function () { return this._d.getTime(); };
  P.unix = function () { return Math.floor(this._d.getTime() / 1000); };
  P.toDate = function () { return new Date(this._d.getTime()); };
  P.toISOString = function () { return this.isValid() ? this._d.toISOString() : null; };
  P.toJSON = P.toISOString;
  P.toString = function () { return this.isValid() ? this.clone().locale().format('ddd MMM DD YYYY HH:mm:ss [GMT]ZZ') : 'Invalid date'; };
  P.locale = function () { return this; };
  P.clone = function () { return new Moment(new Date(this._d.getTime()), this._utc); };
  P.utc = function () { this._utc = true; return this; };
  P.local = function () { this._utc = false; return this; };
  P.isUTC = function () { return this._utc; };
  P.utcOffset = function () { return this._utc ? 0 : -this._d.getTimezoneOffset(); };
  [['year', 'FullYear'], ['month', 'Month'], ['date', 'Date'], ['hour', 'Hours'], ['minute', 'Minutes'], ['second', 'Seconds'], ['millisecond', 'Milliseconds']]
    .forEach((p) => {
      P[p[0]] = P[p[0] + 's'] = function (v) { return v === undefined ? get(this, p[1]) : set(this, p[1], v); };
    });
  P.day = P.days = function (v) { return v === undefined ? get(this, 'Day') : this.add(v - get(this, 'Day'), 'day'); };
  P.weekday = P.day;
  P.isoWeekday = function () { return get(this, 'Day') || 7; };
  P.dayOfYear = function () { const start = Date.UTC(get(this, 'FullYear'), 0, 1); const now = Date.UTC(get(this, 'FullYear'), get(this, 'Month'), get(this, 'Date')); return (now - start) / 864e5 + 1; };
  P.quarter = function () { return Math.floor(get(this, 'Month') / 3) + 1; };
  P.daysInMonth = function () { return new Date(Date.UTC(get(this, 'FullYear'), get(this, 'Month') + 1, 0)).getUTCDate(); };
  P.get = function (u) { return this[UNITS[u] || u](); };
  P.set = function (u, v) { return this[UNITS[u] || u](v); };

  function duration(n, unit) {
    if (n !== null && typeof n === 'object') return n;
    const o = {};
    o[UNITS[unit] || unit || 'millisecond'] = Number(n);
    return o;
  }
  P.add = function (n, unit) {
    const d = duration(n, unit);
    Object.keys(d).forEach((k) => {
      const u = UNITS[k] || k, v = d[k];
      if (u === 'year') set(this, 'FullYear', get(this, 'FullYear') + v);
      else if (u === 'quarter') set(this, 'Month', get(this, 'Month') + 3 * v);
      else if (u === 'month') {
        const day = get(this, 'Date');
        set(this, 'Date', 1);
        set(this, 'Month', get(this, 'Month') + v);
        set(this, 'Date', Math.min(day, this.daysInMonth()));
      } else if (u === 'day') set(this, 'Date', get(this, 'Date') + v);
      else if (u === 'week') set(this, 'Date', get(this, 'Date') + 7 * v);
      else if (MS[u]) this._d = new Date(this._d.getTime() + v * MS[u]);
    });
    return this;
  };
  P.subtract = function (n, unit) {
    const d = duration(n, unit), neg = {};
    Object.keys(d).forEach((k) => { neg[k] = -d[k]; });
    return this.add(neg);
  };
  P.startOf = function (unit) {
    const u = UNITS[unit] || unit;
    const order = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'];
    const i = order.indexOf(u);
    if (i < 0) return this;
    if (u === 'year') set(this, 'Month', 0);
    if (u === 'quarter') set(this, 'Month', Math.floor(get(this, 'Month') / 3) * 3);
    if (i <= 2) set(this, 'Date', 1);
    if (u === 'week') set(this, 'Date', get(this, 'Date') - get(this, 'Day'));
    if (i <= 4) set(this, 'Hours', 0);
    if (i <= 5) set(this, 'Minutes', 0);
    if (i <= 6) set(this, 'Seconds', 0);
    set(this, 'Milliseconds', 0);
    return this;
  };
  P.endOf = function (unit) {
    const u = UNITS[unit] || unit;
    return this.startOf(u).add(1, u === 'quarter' ? 'quarter' : u).subtract(1, 'ms');
  };
  const value = (x) => (x instanceof Moment ? x.valueOf() : moment(x).valueOf());
  P.isBefore = function (o, u) { return u ? this.clone().endOf(u).valueOf() < value(o) : this.valueOf() < value(o); };
  P.isAfter = function (o, u) { return u ? this.clone().startOf(u).valueOf() > value(o) : this.valueOf() > value(o); };
  P.isSame = function (o, u) { return u ? this.clone().startOf(u).valueOf() === moment(value(o)).startOf(u).valueOf() : this.valueOf() === value(o); };
  P.isSameOrBefore = function (o, u) { return this.isSame(o, u) || this.isBefore(o, u); };
  P.isSameOrAfter = function (o, u) { return this.isSame(o, u) || this.isAfter(o, u); };
  P.isBetween = function (a, b) { const v = this.valueOf(); return v > value(a) && v < value(b); };
  P.diff = function (o, unit, floating) {
    const other = o instanceof Moment ? o : moment(o);
    const u = UNITS[unit] || unit || 'millisecond';
    let r;
    if (u === 'year' || u === 'month' || u === 'quarter') {
      const months = (get(this, 'FullYear') - get(other, 'FullYear')) * 12 + (get(this, 'Month') - get(other, 'Month'));
      const anchor = other.clone().add(months, 'month');
      const frac = (this.valueOf() - anchor.valueOf()) / (Math.abs(anchor.clone().add(1, 'month').valueOf() - anchor.valueOf()) || 1);
      r = months + frac;
      if (u === 'year') r /= 12;
      if (u === 'quarter') r /= 3;
    } else r = (this.valueOf() - other.valueOf()) / MS[u];
    return floating ? r : r < 0 ? Math.ceil(r) : Math.floor(r);
  };
  P.fromNow = function () {
    const s = Math.round((Date.now() - this.valueOf()) / 1000), a = Math.abs(s);
    const text = a < 45 ? 'a few seconds' : a < 90 ? 'a minute' : a < 2700 ? Math.round(a / 60) + ' minutes' : a < 5400 ? 'an hour'
      : a < 79200 ? Math.round(a / 3600) + ' hours' : a < 129600 ? 'a day' : a < 2246400 ? Math.round(a / 86400) + ' days'
      : a < 3888000 ? 'a month' : a < 29808000 ? Math.round(a / 2592000) + ' months' : a < 47260800 ? 'a year' : Math.round(a / 31536000) + ' years';
    return s >= 0 ? text + ' ago' : 'in ' + text;
  };
  function offset(m, sep) {
    const o = m.utcOffset(), a = Math.abs(o);
    return (o < 0 ? '-' : '+') + pad(Math.floor(a / 60), 2) + sep + pad(a % 60, 2);
  }
  const TOKENS = /\[([^\]]*)\]|YYYY|YY|Qo|Q|MMMM|MMM|MM|Mo|M|DDDD|DDD|Do|DD|D|dddd|ddd|dd|d|E|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|X|x|ww|w|gggg/g;
  P.format = function (fmt) {
    if (!this.isValid()) return 'Invalid date';
    if (fmt === undefined) fmt = this._utc ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ';
    const m = this;
    const Y = get(m, 'FullYear'), Mo = get(m, 'Month'), D = get(m, 'Date'), d = get(m, 'Day'), H = get(m, 'Hours'), mi = get(m, 'Minutes'), s = get(m, 'Seconds'), ms = get(m, 'Milliseconds');
    return String(fmt).replace(TOKENS, (t, lit) => {
      if (lit !== undefined) return lit;
      switch (t) {
        case 'YYYY': case 'gggg': return pad(Y, 4);
        case 'YY': return pad(Y % 100, 2);
        case 'Q': return String(Math.floor(Mo / 3) + 1);
        case 'Qo': return ordinal(Math.floor(Mo / 3) + 1);
        case 'MMMM': return MONTHS[Mo];
        case 'MMM': return MONTHS[Mo].slice(0, 3);
        case 'MM': return pad(Mo + 1, 2);
        case 'Mo': return ordinal(Mo + 1);
        case 'M': return String(Mo + 1);
        case 'DDDD': return pad(m.dayOfYear(), 3);
        case 'DDD': return String(m.dayOfYear());
        case 'Do': return ordinal(D);
        case 'DD': return pad(D, 2);
        case 'D': return String(D);
        case 'dddd': return DAYS[d];
        case 'ddd': return DAYS[d].slice(0, 3);
        case 'dd': return DAYS[d].slice(0, 2);
        case 'd': return String(d);
        case 'E': return String(d || 7);
        case 'HH': return pad(H, 2);
        case 'H': return String(H);
        case 'hh': return pad(H % 12 || 12, 2);
        case 'h': return String(H % 12 || 12);
        case 'kk': return pad(H || 24, 2);
        case 'k': return String(H || 24);
        case 'mm': return pad(mi, 2);
        case 'm': return String(mi);
        case 'ss': return pad(s, 2);
        case 's': return String(s);
        case 'SSS': return pad(ms, 3);
        case 'SS': return pad(Math.floor(ms / 10), 2);
        case 'S': return String(Math.floor(ms / 100));
        case 'A': return H < 12 ? 'AM' : 'PM';
        case 'a': return H < 12 ? 'am' : 'pm';
        case 'ZZ': return offset(m, '');
        case 'Z': return offset(m, ':');
        case 'X': return String(m.unix());
        case 'x': return String(m.valueOf());
        case 'ww': case 'w': { const w = Math.ceil((m.dayOfYear() + new Date(Date.UTC(Y, 0, 1)).getUTCDay()) / 7); return t === 'ww' ? pad(w, 2) : String(w); }
        default: return t;
      }
    });
  };

  // Parses `text` with a moment format string (the numeric tokens and month names).
  function parseWith(text, fmt, utc) {
    const parts = { Y: 1970, M: 0, D: 1, H: 0, m: 0, s: 0, ms: 0, pm: null, offset: null };
    let re = '';
    const fields = [];
    String(fmt).replace(/\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|Do|HH|H|hh|h|mm|m|ss|s|SSS|A|a|ZZ|Z|X|x|./g, (t, lit) => {
      if (lit !== undefined) { re += lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); return t; }
      const map = { YYYY: '(\\d{4})', YY: '(\\d{2})', MMMM: '([A-Za-z]+)', MMM: '([A-Za-z]{3})', MM: '(\\d{2})', M: '(\\d{1,2})', DD: '(\\d{2})', D: '(\\d{1,2})',
        Do: '(\\d{1,2})(?:st|nd|rd|th)', HH: '(\\d{2})', H: '(\\d{1,2})', hh: '(\\d{2})', h: '(\\d{1,2})', mm: '(\\d{2})', m: '(\\d{1,2})', ss: '(\\d{2})', s: '(\\d{1,2})',
        SSS: '(\\d{3})', A: '(AM|PM|am|pm)', a: '(AM|PM|am|pm)', ZZ: '([+-]\\d{4}|Z)', Z: '([+-]\\d{2}:?\\d{2}|Z)', X: '(\\d+)', x: '(\\d+)' };
      if (map[t]) { re += map[t]; fields.push(t); } else re += t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return t;
    });
    const found = new RegExp('^' + re).exec(String(text));
    if (!found) return new Date(NaN);
    for (let i = 0; i < fields.length; i++) {
      const v = found[i + 1], t = fields[i];
      if (t === 'X') return new Date(Number(v) * 1000);
      if (t === 'x') return new Date(Number(v));
      if (t === 'YYYY') parts.Y = Number(v);
      else if (t === 'YY') parts.Y = 2000 + Number(v) - (Number(v) > 68 ? 100 : 0);
      else if (t === 'MMMM' || t === 'MMM') parts.M = MONTHS.findIndex((n) => n.slice(0, v.length).toLowerCase() === v.toLowerCase());
      else if (t === 'MM' || t === 'M') parts.M = Number(v) - 1;
      else if (t === 'DD' || t === 'D' || t === 'Do') parts.D = Number(v);
      else if (t === 'HH' || t === 'H' || t === 'hh' || t === 'h') parts.H = Number(v);
      else if (t === 'mm' || t === 'm') parts.m = Number(v);
      else if (t === 'ss' || t === 's') parts.s = Number(v);
      else if (t === 'SSS') parts.ms = Number(v);
      else if (t === 'A' || t === 'a') parts.pm = v.toLowerCase() === 'pm';
      else if (t === 'ZZ' || t === 'Z') parts.offset = v === 'Z' ? 0 : (v[0] === '-' ? -1 : 1) * (Number(v.replace(':', '').slice(1, 3)) * 60 + Number(v.replace(':', '').slice(3, 5)));
    }
    if (parts.pm !== null) parts.H = (parts.H % 12) + (parts.pm ? 12 : 0);
    if (parts.offset !== null) return new Date(Date.UTC(parts.Y, parts.M, parts.D, parts.H, parts.m, parts.s, parts.ms) - parts.offset * 6e4);
    return utc ? new Date(Date.UTC(parts.Y, parts.M, parts.D, parts.H, parts.m, parts.s, parts.ms)) : new Date(parts.Y, parts.M, parts.D, parts.H, parts.m, parts.s, parts.ms);
  }

  function toDate(input, fmt, utc) {
    if (input === undefined || input === null) return new Date();
    if (input instanceof Moment) return new Date(input.valueOf());
    if (input instanceof Date) return new Date(input.getTime());
    if (typeof input === 'number') return new Date(input);
    if (Array.isArray(input)) {
      const a = input.concat([0, 0, 1, 0, 0, 0, 0].slice(input.length));
      return utc ? new Date(Date.UTC(a[0], a[1], a[2], a[3], a[4], a[5], a[6])) : new Date(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    }
    if (fmt) return parseWith(input, Array.isArray(fmt) ? fmt[0] : fmt, utc);
    const s = String(input);
    const iso = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
    if (iso) {
      const ms = iso[7] ? Number((iso[7] + '00').slice(0, 3)) : 0;
      const f = [Number(iso[1]), Number(iso[2]) - 1, Number(iso[3] || 1), Number(iso[4] || 0), Number(iso[5] || 0), Number(iso[6] || 0), ms];
      if (iso[8]) {
        const z = iso[8] === 'Z' ? 0 : (iso[8][0] === '-' ? -1 : 1) * (Number(iso[8].replace(':', '').slice(1, 3)) * 60 + Number(iso[8].replace(':', '').slice(3, 5)));
        return new Date(Date.UTC.apply(null, f) - z * 6e4);
      }
      return utc ? new Date(Date.UTC.apply(null, f)) : new Date(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
    }
    return new Date(s);
  }

  function moment(input, fmt) { return new Moment(toDate(input, fmt, false), false); }
  moment.utc = (input, fmt) => new Moment(toDate(input, fmt, true), true);
  moment.unix = (s) => new Moment(new Date(s * 1000), false);
  moment.isMoment = (m) => m instanceof Moment;
  moment.isDate = (d) => d instanceof Date;
  moment.now = () => Date.now();
  moment.duration = function (n, unit) {
    const ms = typeof n === 'object' ? Object.keys(n).reduce((s, k) => s + n[k] * (MS[UNITS[k] || k] || 0), 0) : Number(n) * (MS[UNITS[unit] || unit || 'millisecond'] || 1);
    return {
      asMilliseconds: () => ms, asSeconds: () => ms / 1e3, asMinutes: () => ms / 6e4, asHours: () => ms / 36e5, asDays: () => ms / 864e5,
      milliseconds: () => ms % 1000, seconds: () => Math.floor(ms / 1e3) % 60, minutes: () => Math.floor(ms / 6e4) % 60,
      hours: () => Math.floor(ms / 36e5) % 24, days: () => Math.floor(ms / 864e5), valueOf: () => ms,
    };
  };
  moment.ISO_8601 = 'YYYY-MM-DDTHH:mm:ss.SSSZ';
  moment.locale = () => 'en';
  moment.fn = P;
  return moment;
}
