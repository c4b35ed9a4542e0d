import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x2) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x2, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x2)(function(x2) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x2 + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// node_modules/liquidjs/dist/liquid.node.js
var require_liquid_node = __commonJS({
  "node_modules/liquidjs/dist/liquid.node.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var stream = __require("stream");
    var path6 = __require("path");
    var fs$1 = __require("fs");
    var crypto2 = __require("crypto");
    var Token = class {
      constructor(kind, input, begin, end, file) {
        this.kind = kind;
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.file = file;
      }
      getText() {
        return this.input.slice(this.begin, this.end);
      }
      getPosition() {
        let [row, col] = [1, 1];
        for (let i = 0; i < this.begin; i++) {
          if (this.input[i] === "\n") {
            row++;
            col = 1;
          } else
            col++;
        }
        return [row, col];
      }
      size() {
        return this.end - this.begin;
      }
    };
    var Drop = class {
      liquidMethodMissing(key, context) {
        return void 0;
      }
    };
    var toString$1 = Object.prototype.toString;
    var toLowerCase = String.prototype.toLowerCase;
    var hasOwnProperty = Object.hasOwnProperty;
    function isString(value) {
      return typeof value === "string";
    }
    function isFunction(value) {
      return typeof value === "function";
    }
    function isPromise(val) {
      return val && isFunction(val.then);
    }
    function isIterator(val) {
      return val && isFunction(val.next) && isFunction(val.throw) && isFunction(val.return);
    }
    function promisify(fn) {
      return function(...args) {
        return new Promise((resolve6, reject3) => {
          fn(...args, (err, result) => {
            err ? reject3(err) : resolve6(result);
          });
        });
      };
    }
    function stringify(value) {
      value = toValue(value);
      if (isString(value))
        return value;
      if (isNil(value))
        return "";
      if (isArray(value))
        return value.map((x2) => stringify(x2)).join("");
      return String(value);
    }
    function advanceCodePoints(str, from, count) {
      let index = from;
      for (let i = 0; i < count && index < str.length; i++)
        index += str.codePointAt(index) > 65535 ? 2 : 1;
      return index;
    }
    function codePointLength(str) {
      let length = 0;
      for (let index = 0; index < str.length; index = advanceCodePoints(str, index, 1))
        length++;
      return length;
    }
    function readArrayElement(arr, index, ownPropertyOnly) {
      if (index < 0)
        index = arr.length + index;
      if (ownPropertyOnly && !hasOwnProperty.call(arr, index))
        return void 0;
      return arr[index];
    }
    function toEnumerable(val) {
      val = toValue(val);
      if (isArray(val))
        return val;
      if (isString(val) && val.length > 0)
        return [val];
      if (isIterable(val))
        return Array.from(val);
      if (isObject(val))
        return Object.keys(val).map((key) => [key, val[key]]);
      return [];
    }
    function toArray(val) {
      val = toValue(val);
      if (isNil(val))
        return [];
      if (isArray(val))
        return val;
      return [val];
    }
    function toValue(value) {
      return value instanceof Drop && isFunction(value.valueOf) ? value.valueOf() : value;
    }
    function toNumber(value) {
      return +toValue(value) || 0;
    }
    function isNumber(value) {
      return typeof value === "number";
    }
    function toLiquid(value) {
      if (value && isFunction(value.toLiquid))
        return toLiquid(value.toLiquid());
      return value;
    }
    function isNil(value) {
      return value == null;
    }
    function isUndefined(value) {
      return value === void 0;
    }
    function isArray(value) {
      return toString$1.call(value) === "[object Array]";
    }
    function isArrayLike(value) {
      return value && isNumber(value.length);
    }
    function isIterable(value) {
      return isObject(value) && Symbol.iterator in value;
    }
    function forOwn(obj, iteratee) {
      obj = obj || {};
      for (const k in obj) {
        if (hasOwnProperty.call(obj, k)) {
          if (iteratee(obj[k], k, obj) === false)
            break;
        }
      }
      return obj;
    }
    function isObject(value) {
      const type = typeof value;
      return value !== null && (type === "object" || type === "function");
    }
    function range3(start, stop, step = 1) {
      const arr = [];
      for (let i = start; i < stop; i += step) {
        arr.push(i);
      }
      return arr;
    }
    function padStart(str, length, ch = " ") {
      return pad(str, length, ch, (str2, ch2) => ch2 + str2);
    }
    function padEnd(str, length, ch = " ") {
      return pad(str, length, ch, (str2, ch2) => str2 + ch2);
    }
    function pad(str, length, ch, add) {
      str = String(str);
      const n = length - str.length;
      if (n <= 0)
        return str;
      return add(str, ch.repeat(n));
    }
    function identify(val) {
      return val;
    }
    function changeCase(str) {
      const hasLowerCase = [...str].some((ch) => ch >= "a" && ch <= "z");
      return hasLowerCase ? str.toUpperCase() : str.toLowerCase();
    }
    function ellipsis(str, N2) {
      return str.length > N2 ? str.slice(0, N2 - 3) + "..." : str;
    }
    function orderedCompare(a, b) {
      if (isNil(a) && isNil(b))
        return 0;
      if (isNil(a))
        return 1;
      if (isNil(b))
        return -1;
      if (a < b)
        return -1;
      if (a > b)
        return 1;
      return 0;
    }
    function caseInsensitiveCompare(a, b) {
      if (isNil(a) && isNil(b))
        return 0;
      if (isNil(a))
        return 1;
      if (isNil(b))
        return -1;
      a = toLowerCase.call(a);
      b = toLowerCase.call(b);
      if (a < b)
        return -1;
      if (a > b)
        return 1;
      return 0;
    }
    function argumentsToValue(fn) {
      return function(...args) {
        return fn.call(this, ...args.map(toValue));
      };
    }
    function argumentsToNumber(fn) {
      return function(...args) {
        return fn.call(this, ...args.map(toNumber));
      };
    }
    function* strictUniq(array) {
      const seen = /* @__PURE__ */ new Set();
      for (const element of array) {
        const key = JSON.stringify(element);
        if (!seen.has(key)) {
          seen.add(key);
          yield element;
        }
      }
    }
    var TRAIT = "__liquidClass__";
    var LiquidError2 = class extends Error {
      constructor(err, token) {
        super(typeof err === "string" ? err : err.message);
        this.context = "";
        if (typeof err !== "string")
          Object.defineProperty(this, "originalError", { value: err, enumerable: false });
        Object.defineProperty(this, "token", { value: token, enumerable: false });
        Object.defineProperty(this, TRAIT, { value: "LiquidError", enumerable: false });
      }
      update() {
        Object.defineProperty(this, "context", { value: mkContext(this.token), enumerable: false });
        this.message = mkMessage(this.message, this.token);
        this.stack = this.message + "\n" + this.context + "\n" + this.stack;
        if (this.originalError)
          this.stack += "\nFrom " + this.originalError.stack;
      }
      static is(obj) {
        return obj?.[TRAIT] === "LiquidError";
      }
    };
    var TokenizationError = class extends LiquidError2 {
      constructor(message, token) {
        super(message, token);
        this.name = "TokenizationError";
        super.update();
      }
    };
    var ParseError = class extends LiquidError2 {
      constructor(err, token) {
        super(err, token);
        this.name = "ParseError";
        this.message = err.message;
        super.update();
      }
    };
    var RenderError = class extends LiquidError2 {
      constructor(err, tpl) {
        super(err, tpl.token);
        this.name = "RenderError";
        this.message = err.message;
        super.update();
      }
      static is(obj) {
        return obj.name === "RenderError";
      }
    };
    var LiquidErrors = class extends LiquidError2 {
      constructor(errors) {
        super(errors[0], errors[0].token);
        this.errors = errors;
        this.name = "LiquidErrors";
        const s = errors.length > 1 ? "s" : "";
        this.message = `${errors.length} error${s} found`;
        super.update();
      }
      static is(obj) {
        return obj.name === "LiquidErrors";
      }
    };
    var UndefinedVariableError = class extends LiquidError2 {
      constructor(err, token) {
        super(err, token);
        this.name = "UndefinedVariableError";
        this.message = err.message;
        super.update();
      }
    };
    var InternalUndefinedVariableError = class extends Error {
      constructor(variableName) {
        super(`undefined variable: ${variableName}`);
        this.name = "InternalUndefinedVariableError";
        this.variableName = variableName;
      }
    };
    var AssertionError = class extends Error {
      constructor(message) {
        super(message);
        this.name = "AssertionError";
        this.message = message + "";
      }
    };
    function mkContext(token) {
      const [line, col] = token.getPosition();
      const lines = token.input.split("\n");
      const begin = Math.max(line - 2, 1);
      const end = Math.min(line + 3, lines.length);
      const context = range3(begin, end + 1).map((lineNumber) => {
        const rowIndicator = lineNumber === line ? ">> " : "   ";
        const num = padStart(String(lineNumber), String(end).length);
        let text2 = `${rowIndicator}${num}| `;
        const colIndicator = lineNumber === line ? "\n" + padStart("^", col + text2.length) : "";
        text2 += lines[lineNumber - 1];
        text2 += colIndicator;
        return text2;
      }).join("\n");
      return context;
    }
    function mkMessage(msg, token) {
      if (token.file)
        msg += `, file:${token.file}`;
      const [line, col] = token.getPosition();
      msg += `, line:${line}, col:${col}`;
      return msg;
    }
    var TYPES = [0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 4, 4, 4, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 2, 8, 0, 0, 0, 0, 8, 0, 0, 0, 64, 0, 65, 0, 0, 33, 33, 33, 33, 33, 33, 33, 33, 33, 33, 0, 0, 2, 2, 2, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    var WORD = 1;
    var BLANK = 4;
    var QUOTE = 8;
    var INLINE_BLANK = 16;
    var NUMBER = 32;
    var SIGN = 64;
    var PUNCTUATION = 128;
    function isWord(char) {
      const code = char.charCodeAt(0);
      return code >= 128 ? !TYPES[code] : !!(TYPES[code] & WORD);
    }
    TYPES[160] = TYPES[5760] = TYPES[6158] = TYPES[8192] = TYPES[8193] = TYPES[8194] = TYPES[8195] = TYPES[8196] = TYPES[8197] = TYPES[8198] = TYPES[8199] = TYPES[8200] = TYPES[8201] = TYPES[8202] = TYPES[8232] = TYPES[8233] = TYPES[8239] = TYPES[8287] = TYPES[12288] = BLANK;
    TYPES[8220] = TYPES[8221] = PUNCTUATION;
    function assert4(predicate, message) {
      if (!predicate) {
        const msg = typeof message === "function" ? message() : message || `expect ${predicate} to be true`;
        throw new AssertionError(msg);
      }
    }
    function assertEmpty(predicate, message = `unexpected ${JSON.stringify(predicate)}`) {
      assert4(!predicate, message);
    }
    var NullDrop = class extends Drop {
      *equals(value) {
        return isNil(yield toValue(value));
      }
      gt() {
        return false;
      }
      geq() {
        return false;
      }
      lt() {
        return false;
      }
      leq() {
        return false;
      }
      valueOf() {
        return null;
      }
    };
    var EmptyDrop = class _EmptyDrop extends Drop {
      *equals(value) {
        if (value instanceof _EmptyDrop)
          return false;
        value = yield toValue(value);
        if (isString(value) || isArray(value))
          return value.length === 0;
        if (isObject(value))
          return Object.keys(value).length === 0;
        return false;
      }
      gt() {
        return false;
      }
      geq() {
        return false;
      }
      lt() {
        return false;
      }
      leq() {
        return false;
      }
      valueOf() {
        return "";
      }
      static is(value) {
        return value instanceof _EmptyDrop;
      }
    };
    var BlankDrop = class _BlankDrop extends EmptyDrop {
      *equals(value) {
        if (value === false)
          return true;
        if (isNil(yield toValue(value)))
          return true;
        if (isString(value))
          return /^\s*$/.test(value);
        return yield super.equals(value);
      }
      static is(value) {
        return value instanceof _BlankDrop;
      }
    };
    var ForloopDrop = class extends Drop {
      constructor(length, collection, variable) {
        super();
        this.i = 0;
        this.length = length;
        this.name = `${variable}-${collection}`;
      }
      next() {
        this.i++;
      }
      index0() {
        return this.i;
      }
      index() {
        return this.i + 1;
      }
      first() {
        return this.i === 0;
      }
      last() {
        return this.i === this.length - 1;
      }
      rindex() {
        return this.length - this.i;
      }
      rindex0() {
        return this.length - this.i - 1;
      }
      valueOf() {
        return JSON.stringify(this);
      }
    };
    var SimpleEmitter = class {
      constructor() {
        this.buffer = "";
      }
      write(html) {
        this.buffer += stringify(html);
      }
    };
    var StreamedEmitter = class {
      constructor() {
        this.buffer = "";
        this.stream = new stream.PassThrough();
      }
      write(html) {
        this.stream.write(stringify(html));
      }
      error(err) {
        this.stream.emit("error", err);
      }
      end() {
        this.stream.end();
      }
    };
    var KeepingTypeEmitter = class {
      constructor() {
        this.buffer = "";
      }
      write(html) {
        html = toValue(html);
        if (typeof html !== "string" && this.buffer === "") {
          this.buffer = html;
        } else {
          this.buffer = stringify(this.buffer) + stringify(html);
        }
      }
    };
    var BlockDrop = class extends Drop {
      constructor(superBlockRender = () => "") {
        super();
        this.superBlockRender = superBlockRender;
      }
      /**
       * Provide parent access in child block by
       * {{ block.super }}
       */
      *super() {
        const emitter = new SimpleEmitter();
        yield this.superBlockRender(emitter);
        return emitter.buffer;
      }
    };
    function isComparable(arg) {
      return arg && isFunction(arg.equals) && isFunction(arg.gt) && isFunction(arg.geq) && isFunction(arg.lt) && isFunction(arg.leq);
    }
    var nil = new NullDrop();
    var literalValues = {
      "true": true,
      "false": false,
      "nil": nil,
      "null": nil,
      "empty": new EmptyDrop(),
      "blank": new BlankDrop()
    };
    var trieCache = /* @__PURE__ */ new WeakMap();
    function createTrie(input) {
      const cached = trieCache.get(input);
      if (cached)
        return cached;
      const trie = {};
      for (const [name, data] of Object.entries(input)) {
        let node = trie;
        for (let i = 0; i < name.length; i++) {
          const c = name[i];
          node[c] = node[c] || {};
          if (i === name.length - 1 && isWord(name[i])) {
            node[c].needBoundary = true;
          }
          node = node[c];
        }
        node.data = data;
        node.end = true;
      }
      trieCache.set(input, trie);
      return trie;
    }
    function toLiquidAsync(asyncFn, syncFn) {
      const syncImpl = syncFn || asyncFn;
      return (sync, ...args) => {
        return sync ? syncImpl(...args) : asyncFn(...args);
      };
    }
    async function toPromise2(val) {
      if (!isIterator(val))
        return val;
      let value;
      let done = false;
      let next = "next";
      do {
        const state = val[next](value);
        done = !!state.done;
        value = state.value;
        next = "next";
        try {
          if (isIterator(value))
            value = toPromise2(value);
          if (isPromise(value))
            value = await value;
        } catch (err) {
          next = "throw";
          value = err;
        }
      } while (!done);
      return value;
    }
    function toValueSync(val) {
      if (!isIterator(val))
        return val;
      let value;
      let done = false;
      let next = "next";
      do {
        const state = val[next](value);
        done = !!state.done;
        value = state.value;
        next = "next";
        if (isIterator(value)) {
          try {
            value = toValueSync(value);
          } catch (err) {
            next = "throw";
            value = err;
          }
        }
      } while (!done);
      return value;
    }
    var rFormat = /%([-_0^#:]+)?(\d+)?([EO])?(.)/;
    function daysInMonth(d) {
      const feb = isLeapYear(d) ? 29 : 28;
      return [31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    }
    function getDayOfYear(d) {
      let num = 0;
      for (let i = 0; i < d.getMonth(); ++i) {
        num += daysInMonth(d)[i];
      }
      return num + d.getDate();
    }
    function getWeekOfYear(d, startDay) {
      const daysSinceStartDay = (d.getDay() - startDay + 7) % 7;
      return String(Math.floor((getDayOfYear(d) - 1 - daysSinceStartDay + 7) / 7));
    }
    function isLeapYear(d) {
      const year = d.getFullYear();
      return !!((year & 3) === 0 && (year % 100 || year % 400 === 0 && year));
    }
    function ordinal(d) {
      const date2 = d.getDate();
      if ([11, 12, 13].includes(date2))
        return "th";
      switch (date2 % 10) {
        case 1:
          return "st";
        case 2:
          return "nd";
        case 3:
          return "rd";
        default:
          return "th";
      }
    }
    function century(d) {
      return Math.floor(d.getFullYear() / 100);
    }
    var padWidths = {
      C: 2,
      d: 2,
      e: 2,
      H: 2,
      I: 2,
      j: 3,
      k: 2,
      l: 2,
      L: 3,
      m: 2,
      M: 2,
      S: 2,
      U: 2,
      W: 2,
      y: 2,
      Y: 4
    };
    var padSpaceChars = new Set("aAbBceklpP");
    function getTimezoneOffset(d, opts) {
      const nOffset = Math.abs(d.getTimezoneOffset());
      const h = Math.floor(nOffset / 60);
      const m = nOffset % 60;
      return (d.getTimezoneOffset() > 0 ? "-" : "+") + padStart(h, 2, "0") + (opts.flags[":"] ? ":" : "") + padStart(m, 2, "0");
    }
    var formatCodes = {
      a: (d) => d.getShortWeekdayName(),
      A: (d) => d.getLongWeekdayName(),
      b: (d) => d.getShortMonthName(),
      B: (d) => d.getLongMonthName(),
      c: (d) => d.toLocaleString(),
      C: (d) => century(d),
      d: (d) => d.getDate(),
      e: (d) => d.getDate(),
      H: (d) => d.getHours(),
      I: (d) => String(d.getHours() % 12 || 12),
      j: (d) => getDayOfYear(d),
      k: (d) => d.getHours(),
      l: (d) => String(d.getHours() % 12 || 12),
      L: (d) => d.getMilliseconds(),
      m: (d) => d.getMonth() + 1,
      M: (d) => d.getMinutes(),
      N: (d, opts) => {
        const width = Number(opts.width) || 9;
        const str = padStart(String(d.getMilliseconds()), 3, "0").slice(0, width);
        opts.memoryLimit?.use(width - str.length);
        return padEnd(str, width, "0");
      },
      p: (d) => d.getHours() < 12 ? "AM" : "PM",
      P: (d) => d.getHours() < 12 ? "am" : "pm",
      q: (d) => ordinal(d),
      s: (d) => Math.floor(d.dateValue() / 1e3),
      S: (d) => d.getSeconds(),
      u: (d) => d.getDay() || 7,
      U: (d) => getWeekOfYear(d, 0),
      w: (d) => d.getDay(),
      W: (d) => getWeekOfYear(d, 1),
      x: (d) => d.toLocaleDateString(),
      X: (d) => d.toLocaleTimeString(),
      y: (d) => (d.getFullYear() % 100 + 100) % 100,
      Y: (d) => d.getFullYear(),
      z: getTimezoneOffset,
      Z: (d, opts) => d.getTimeZoneName() || getTimezoneOffset(d, opts),
      "t": () => "	",
      "n": () => "\n",
      "%": () => "%"
    };
    formatCodes.h = formatCodes.b;
    function strftime(d, formatStr, memoryLimit) {
      let output = "";
      let remaining = formatStr;
      let match3;
      while (match3 = rFormat.exec(remaining)) {
        output += remaining.slice(0, match3.index);
        remaining = remaining.slice(match3.index + match3[0].length);
        output += format(d, match3, memoryLimit);
      }
      return output + remaining;
    }
    function format(d, match3, memoryLimit) {
      const [input, flagStr = "", width, modifier, conversion] = match3;
      const convert = formatCodes[conversion];
      if (!convert)
        return input;
      const flags = {};
      for (const flag of flagStr)
        flags[flag] = true;
      let ret = String(convert(d, { flags, width, modifier, memoryLimit }));
      let padChar = padSpaceChars.has(conversion) ? " " : "0";
      let padWidth = Number(width) || padWidths[conversion] || 0;
      if (flags["^"])
        ret = ret.toUpperCase();
      else if (flags["#"])
        ret = changeCase(ret);
      if (flags["_"])
        padChar = " ";
      else if (flags["0"])
        padChar = "0";
      if (flags["-"])
        padWidth = 0;
      memoryLimit?.use(Number(padWidth) - ret.length);
      if (padChar === "0" && ret[0] === "-")
        return "-" + padStart(ret.slice(1), padWidth - 1, padChar);
      return padStart(ret, padWidth, padChar);
    }
    function getDateTimeFormat() {
      return typeof Intl !== "undefined" ? Intl.DateTimeFormat : void 0;
    }
    var OneMinute = 6e4;
    var TIMEZONE_PATTERN = /([zZ]|([+-])(\d{2}):?(\d{2}))$/;
    var monthNames = [
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December"
    ];
    var monthNamesShort = monthNames.map((name) => name.slice(0, 3));
    var dayNames = [
      "Sunday",
      "Monday",
      "Tuesday",
      "Wednesday",
      "Thursday",
      "Friday",
      "Saturday"
    ];
    var dayNamesShort = dayNames.map((name) => name.slice(0, 3));
    var LiquidDate = class _LiquidDate {
      constructor(init, locale, timezone) {
        this.locale = locale;
        this.DateTimeFormat = getDateTimeFormat();
        this.date = new Date(init);
        this.timezoneFixed = timezone !== void 0;
        if (timezone === void 0) {
          timezone = this.date.getTimezoneOffset();
        }
        this.timezoneOffset = isString(timezone) ? _LiquidDate.getTimezoneOffset(timezone, this.date) : timezone;
        this.timezoneName = isString(timezone) ? timezone : "";
        const diff = (this.date.getTimezoneOffset() - this.timezoneOffset) * OneMinute;
        const time = this.date.getTime() + diff;
        this.displayDate = new Date(time);
      }
      getTime() {
        return this.displayDate.getTime();
      }
      /**
       * The underlying UTC timestamp in milliseconds, unaffected by the display
       * timezone. Use this (not `getTime()`) for timezone-invariant values like
       * `%s`: `getTime()` reads `displayDate`, which is deliberately shifted by
       * the display timezone offset so wall-clock getters can delegate to Date.
       */
      dateValue() {
        return this.date.getTime();
      }
      getMilliseconds() {
        return this.displayDate.getMilliseconds();
      }
      getSeconds() {
        return this.displayDate.getSeconds();
      }
      getMinutes() {
        return this.displayDate.getMinutes();
      }
      getHours() {
        return this.displayDate.getHours();
      }
      getDay() {
        return this.displayDate.getDay();
      }
      getDate() {
        return this.displayDate.getDate();
      }
      getMonth() {
        return this.displayDate.getMonth();
      }
      getFullYear() {
        return this.displayDate.getFullYear();
      }
      toLocaleString(locale, init) {
        if (init?.timeZone) {
          return this.date.toLocaleString(locale, init);
        }
        return this.displayDate.toLocaleString(locale, init);
      }
      toLocaleTimeString(locale) {
        return this.displayDate.toLocaleTimeString(locale);
      }
      toLocaleDateString(locale) {
        return this.displayDate.toLocaleDateString(locale);
      }
      getTimezoneOffset() {
        return this.timezoneOffset;
      }
      getTimeZoneName() {
        if (this.timezoneFixed)
          return this.timezoneName;
        if (!this.DateTimeFormat)
          return;
        return this.DateTimeFormat().resolvedOptions().timeZone;
      }
      getLongMonthName() {
        return this.format({ month: "long" }) ?? monthNames[this.getMonth()];
      }
      getShortMonthName() {
        return this.format({ month: "short" }) ?? monthNamesShort[this.getMonth()];
      }
      getLongWeekdayName() {
        return this.format({ weekday: "long" }) ?? dayNames[this.displayDate.getDay()];
      }
      getShortWeekdayName() {
        return this.format({ weekday: "short" }) ?? dayNamesShort[this.displayDate.getDay()];
      }
      valid() {
        return !isNaN(this.getTime());
      }
      format(options) {
        return this.DateTimeFormat && this.DateTimeFormat(this.locale, options).format(this.displayDate);
      }
      /**
       * Create a Date object fixed to it's declared Timezone. Both
       * - 2021-08-06T02:29:00.000Z and
       * - 2021-08-06T02:29:00.000+08:00
       * will always be displayed as
       * - 2021-08-06 02:29:00
       * regardless timezoneOffset in JavaScript realm
       *
       * The implementation hack:
       * Instead of calling `.getMonth()`/`.getUTCMonth()` respect to `preserveTimezones`,
       * we create a different Date to trick strftime, it's both simpler and more performant.
       * Given that a template is expected to be parsed fewer times than rendered.
       */
      static createDateFixedToTimezone(dateString, locale) {
        const m = dateString.match(TIMEZONE_PATTERN);
        if (m && m[1] === "Z") {
          return new _LiquidDate(+new Date(dateString), locale, 0);
        }
        if (m && m[2] && m[3] && m[4]) {
          const [, , sign, hours, minutes] = m;
          const offset2 = (sign === "+" ? -1 : 1) * (parseInt(hours, 10) * 60 + parseInt(minutes, 10));
          return new _LiquidDate(+new Date(dateString), locale, offset2);
        }
        return new _LiquidDate(dateString, locale);
      }
      static getTimezoneOffset(timezoneName, date2) {
        const localDateString = date2.toLocaleString("en-US", { timeZone: timezoneName });
        const utcDateString = date2.toLocaleString("en-US", { timeZone: "UTC" });
        const localDate = new Date(localDateString);
        const utcDate = new Date(utcDateString);
        return (+utcDate - +localDate) / (60 * 1e3);
      }
    };
    var Limiter = class {
      constructor(resource, limit2) {
        this.base = 0;
        this.message = `${resource} limit exceeded`;
        this.limit = limit2;
      }
      use(count) {
        if (+count > 0) {
          assert4(this.base + +count <= this.limit, this.message);
          this.base += +count;
        }
      }
      check(count) {
        if (+count > 0) {
          assert4(+count <= this.limit, this.message);
        }
      }
    };
    var DelimitedToken = class extends Token {
      constructor(kind, [contentBegin, contentEnd], input, begin, end, trimLeft2, trimRight2, file) {
        super(kind, input, begin, end, file);
        this.trimLeft = false;
        this.trimRight = false;
        const tl = input[contentBegin] === "-";
        const tr = input[contentEnd - 1] === "-";
        let l3 = tl ? contentBegin + 1 : contentBegin;
        let r = tr ? contentEnd - 1 : contentEnd;
        while (l3 < r && TYPES[input.charCodeAt(l3)] & BLANK)
          l3++;
        while (r > l3 && TYPES[input.charCodeAt(r - 1)] & BLANK)
          r--;
        this.contentRange = [l3, r];
        this.trimLeft = tl || trimLeft2;
        this.trimRight = tr || trimRight2;
      }
      get content() {
        return this.input.slice(this.contentRange[0], this.contentRange[1]);
      }
    };
    var TagToken = class extends DelimitedToken {
      constructor(input, begin, end, options, file) {
        const { trimTagLeft, trimTagRight, tagDelimiterLeft, tagDelimiterRight } = options;
        const [valueBegin, valueEnd] = [begin + tagDelimiterLeft.length, end - tagDelimiterRight.length];
        super(exports.TokenKind.Tag, [valueBegin, valueEnd], input, begin, end, trimTagLeft, trimTagRight, file);
        this.tokenizer = new Tokenizer(input, options.operators, file, this.contentRange, options.groupedExpressions);
        this.name = this.tokenizer.readTagName();
        this.tokenizer.assert(this.name, `illegal tag syntax, tag name expected`);
        this.tokenizer.skipBlank();
        this.args = this.tokenizer.input.slice(this.tokenizer.p, this.contentRange[1]);
      }
    };
    var OutputToken = class extends DelimitedToken {
      constructor(input, begin, end, options, file) {
        const { trimOutputLeft, trimOutputRight, outputDelimiterLeft, outputDelimiterRight } = options;
        const valueRange = [begin + outputDelimiterLeft.length, end - outputDelimiterRight.length];
        super(exports.TokenKind.Output, valueRange, input, begin, end, trimOutputLeft, trimOutputRight, file);
      }
    };
    var HTMLToken = class extends Token {
      constructor(input, begin, end, file) {
        super(exports.TokenKind.HTML, input, begin, end, file);
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.file = file;
        this.trimLeft = 0;
        this.trimRight = 0;
      }
      getContent() {
        return this.input.slice(this.begin + this.trimLeft, this.end - this.trimRight);
      }
    };
    var NumberToken = class extends Token {
      constructor(input, begin, end, file) {
        super(exports.TokenKind.Number, input, begin, end, file);
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.file = file;
        this.content = Number(this.getText());
      }
    };
    var IdentifierToken = class extends Token {
      constructor(input, begin, end, file) {
        super(exports.TokenKind.Word, input, begin, end, file);
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.file = file;
        this.content = this.getText();
      }
    };
    var LiteralToken = class extends Token {
      constructor(input, begin, end, file) {
        super(exports.TokenKind.Literal, input, begin, end, file);
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.file = file;
        this.literal = this.getText();
        this.content = literalValues[this.literal];
      }
    };
    var operatorPrecedences = {
      "==": 2,
      "!=": 2,
      ">": 2,
      "<": 2,
      ">=": 2,
      "<=": 2,
      "contains": 2,
      "not": 1,
      "and": 0,
      "or": 0
    };
    var operatorTypes = {
      "==": 0,
      "!=": 0,
      ">": 0,
      "<": 0,
      ">=": 0,
      "<=": 0,
      "contains": 0,
      "not": 1,
      "and": 0,
      "or": 0
      /* OperatorType.Binary */
    };
    var OperatorToken = class extends Token {
      constructor(input, begin, end, file) {
        super(exports.TokenKind.Operator, input, begin, end, file);
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.file = file;
        this.operator = this.getText();
      }
      getPrecedence() {
        return this.operator in operatorPrecedences ? operatorPrecedences[this.operator] : 1;
      }
    };
    var PropertyAccessToken = class extends Token {
      constructor(variable, props, input, begin, end, file) {
        super(exports.TokenKind.PropertyAccess, input, begin, end, file);
        this.variable = variable;
        this.props = props;
      }
    };
    var FilterToken = class extends Token {
      constructor(name, args, input, begin, end, file) {
        super(exports.TokenKind.Filter, input, begin, end, file);
        this.name = name;
        this.args = args;
      }
    };
    var HashToken = class extends Token {
      constructor(input, begin, end, name, value, file) {
        super(exports.TokenKind.Hash, input, begin, end, file);
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.name = name;
        this.value = value;
        this.file = file;
      }
    };
    var rHex = /[\da-fA-F]/;
    var rOct = /[0-7]/;
    var escapeChar = {
      b: "\b",
      f: "\f",
      n: "\n",
      r: "\r",
      t: "	",
      v: "\v"
    };
    function hexVal(c) {
      const code = c.charCodeAt(0);
      if (code >= 97)
        return code - 87;
      if (code >= 65)
        return code - 55;
      return code - 48;
    }
    function parseStringLiteral(str) {
      let ret = "";
      for (let i = 1; i < str.length - 1; i++) {
        if (str[i] !== "\\") {
          ret += str[i];
          continue;
        }
        if (escapeChar[str[i + 1]] !== void 0) {
          ret += escapeChar[str[++i]];
        } else if (str[i + 1] === "u") {
          let val = 0;
          let j = i + 2;
          while (j <= i + 5 && rHex.test(str[j])) {
            val = val * 16 + hexVal(str[j++]);
          }
          i = j - 1;
          ret += String.fromCharCode(val);
        } else if (!rOct.test(str[i + 1])) {
          ret += str[++i];
        } else {
          let j = i + 1;
          let val = 0;
          while (j <= i + 3 && rOct.test(str[j])) {
            val = val * 8 + hexVal(str[j++]);
          }
          i = j - 1;
          ret += String.fromCharCode(val);
        }
      }
      return ret;
    }
    var QuotedToken = class extends Token {
      constructor(input, begin, end, file) {
        super(exports.TokenKind.Quoted, input, begin, end, file);
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.file = file;
        this.content = parseStringLiteral(this.getText());
      }
    };
    var RangeToken = class extends Token {
      constructor(input, begin, end, lhs, rhs, file) {
        super(exports.TokenKind.Range, input, begin, end, file);
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.lhs = lhs;
        this.rhs = rhs;
        this.file = file;
      }
    };
    var LiquidTagToken = class extends DelimitedToken {
      constructor(input, begin, end, options, file) {
        super(exports.TokenKind.Tag, [begin, end], input, begin, end, false, false, file);
        this.tokenizer = new Tokenizer(input, options.operators, file, this.contentRange, options.groupedExpressions);
        this.name = this.tokenizer.readTagName();
        this.tokenizer.assert(this.name, "illegal liquid tag syntax");
        this.tokenizer.skipBlank();
      }
      get args() {
        return this.tokenizer.input.slice(this.tokenizer.p, this.contentRange[1]);
      }
    };
    var FilteredValueToken = class extends Token {
      constructor(initial, filters2, input, begin, end, file) {
        super(exports.TokenKind.FilteredValue, input, begin, end, file);
        this.initial = initial;
        this.filters = filters2;
        this.input = input;
        this.begin = begin;
        this.end = end;
        this.file = file;
      }
    };
    var polyfill = {
      now: () => Date.now()
    };
    function getPerformance() {
      return typeof global === "object" && global.performance || typeof window === "object" && window.performance || polyfill;
    }
    var Render = class {
      renderTemplatesToNodeStream(templates, ctx) {
        const emitter = new StreamedEmitter();
        Promise.resolve().then(() => toPromise2(this.renderTemplates(templates, ctx, emitter))).then(() => emitter.end(), (err) => emitter.error(err));
        return emitter.stream;
      }
      *renderTemplates(templates, ctx, emitter) {
        if (!emitter) {
          emitter = ctx.opts.keepOutputType ? new KeepingTypeEmitter() : new SimpleEmitter();
        }
        ctx.renderLimit.check(getPerformance().now());
        const errors = [];
        for (const tpl of templates) {
          ctx.renderLimit.check(getPerformance().now());
          try {
            const html = yield tpl.render(ctx, emitter);
            html && emitter.write(html);
            if (ctx.breakCalled || ctx.continueCalled)
              break;
          } catch (e) {
            const err = LiquidError2.is(e) ? e : new RenderError(e, tpl);
            if (ctx.opts.catchAllErrors)
              errors.push(err);
            else
              throw err;
          }
        }
        if (errors.length) {
          throw new LiquidErrors(errors);
        }
        return emitter.buffer;
      }
    };
    function isKeyValuePair(arr) {
      return isArray(arr);
    }
    var Filter = class {
      constructor(token, options, liquid) {
        this.token = token;
        this.name = token.name;
        this.handler = isFunction(options) ? options : isFunction(options?.handler) ? options.handler : identify;
        this.raw = !isFunction(options) && !!options?.raw;
        this.args = token.args;
        this.liquid = liquid;
      }
      *render(value, context) {
        const argv = [];
        for (const arg of this.args) {
          if (isKeyValuePair(arg))
            argv.push([arg[0], yield evalToken(arg[1], context)]);
          else
            argv.push(yield evalToken(arg, context));
        }
        return yield this.handler.apply({ context, token: this.token, liquid: this.liquid }, [value, ...argv]);
      }
    };
    var Expression = class {
      constructor(tokens) {
        this.postfix = [...toPostfix(tokens)];
      }
      *evaluate(ctx, lenient) {
        assert4(ctx, "unable to evaluate: context not defined");
        const operands = [];
        for (const token of this.postfix) {
          if (isOperatorToken(token)) {
            const r = operands.pop();
            let result;
            if (operatorTypes[token.operator] === 1) {
              result = yield ctx.opts.operators[token.operator](r, ctx);
            } else {
              const l3 = operands.pop();
              result = yield ctx.opts.operators[token.operator](l3, r, ctx);
            }
            operands.push(result);
          } else {
            operands.push(yield evalToken(token, ctx, lenient));
          }
        }
        return operands[0];
      }
      valid() {
        return !!this.postfix.length;
      }
    };
    function* evalToken(token, ctx, lenient = false) {
      if (!token)
        return;
      if ("content" in token)
        return token.content;
      if (isPropertyAccessToken(token))
        return yield evalPropertyAccessToken(token, ctx, lenient);
      if (isRangeToken(token))
        return yield evalRangeToken(token, ctx);
      if (isFilteredValueToken(token))
        return yield evalFilteredValueToken(token, ctx, lenient);
    }
    function* evalFilteredValueToken(token, ctx, lenient) {
      assert4(ctx.liquid, "FilteredValueToken evaluation requires liquid instance in context");
      lenient = lenient || ctx.opts.lenientIf && token.filters.length > 0 && token.filters[0].name === "default";
      let val = yield token.initial.evaluate(ctx, lenient);
      for (const filterToken of token.filters) {
        const filterImpl = ctx.liquid.filters[filterToken.name];
        assert4(filterImpl || !ctx.liquid.options.strictFilters, () => `undefined filter: ${filterToken.name}`);
        const filter3 = new Filter(filterToken, filterImpl, ctx.liquid);
        val = yield filter3.render(val, ctx);
      }
      return val;
    }
    function* evalTokenValue(token, ctx, lenient = false) {
      return yield toValue(yield evalToken(token, ctx, lenient));
    }
    function* evalPropertyAccessToken(token, ctx, lenient) {
      const props = [];
      for (const prop of token.props) {
        props.push(yield evalTokenValue(prop, ctx, false));
      }
      try {
        if (token.variable) {
          const variable = yield evalToken(token.variable, ctx, lenient);
          return yield ctx._getFromScope(variable, props);
        } else {
          return yield ctx._get(props);
        }
      } catch (e) {
        if (lenient && e.name === "InternalUndefinedVariableError")
          return null;
        throw new UndefinedVariableError(e, token);
      }
    }
    function evalQuotedToken(token) {
      return token.content;
    }
    function* evalRangeToken(token, ctx) {
      const low = yield evalTokenValue(token.lhs, ctx);
      const high = yield evalTokenValue(token.rhs, ctx);
      ctx.memoryLimit.use(high - low + 1);
      return range3(+low, +high + 1);
    }
    function* toPostfix(tokens) {
      const ops = [];
      for (const token of tokens) {
        if (isOperatorToken(token)) {
          while (ops.length && ops[ops.length - 1].getPrecedence() > token.getPrecedence()) {
            yield ops.pop();
          }
          ops.push(token);
        } else
          yield token;
      }
      while (ops.length) {
        yield ops.pop();
      }
    }
    function isTruthy(val, ctx) {
      return !isFalsy(val, ctx);
    }
    function isFalsy(val, ctx) {
      val = toValue(val);
      if (ctx.opts.jsTruthy) {
        return !val;
      } else {
        return val === false || void 0 === val || val === null;
      }
    }
    var defaultOperators = {
      "==": function* (l3, r) {
        return yield equals(l3, r);
      },
      "!=": function* (l3, r) {
        return !(yield equals(l3, r));
      },
      ">": function* (l3, r) {
        if (isComparable(l3))
          return yield l3.gt(r);
        if (isComparable(r))
          return yield r.lt(l3);
        return (yield toValue(l3)) > (yield toValue(r));
      },
      "<": function* (l3, r) {
        if (isComparable(l3))
          return yield l3.lt(r);
        if (isComparable(r))
          return yield r.gt(l3);
        return (yield toValue(l3)) < (yield toValue(r));
      },
      ">=": function* (l3, r) {
        if (isComparable(l3))
          return yield l3.geq(r);
        if (isComparable(r))
          return yield r.leq(l3);
        return (yield toValue(l3)) >= (yield toValue(r));
      },
      "<=": function* (l3, r) {
        if (isComparable(l3))
          return yield l3.leq(r);
        if (isComparable(r))
          return yield r.geq(l3);
        return (yield toValue(l3)) <= (yield toValue(r));
      },
      "contains": function* (l3, r) {
        l3 = yield toValue(l3);
        if (isArray(l3))
          return yield arrayIncludes(l3, r);
        if (isFunction(l3?.indexOf))
          return l3.indexOf(yield toValue(r)) > -1;
        return false;
      },
      "not": function* (v2, ctx) {
        return isFalsy(yield toValue(v2), ctx);
      },
      "and": function* (l3, r, ctx) {
        return isTruthy(yield toValue(l3), ctx) && isTruthy(yield toValue(r), ctx);
      },
      "or": function* (l3, r, ctx) {
        return isTruthy(yield toValue(l3), ctx) || isTruthy(yield toValue(r), ctx);
      }
    };
    function* equals(lhs, rhs) {
      if (isComparable(lhs))
        return yield lhs.equals(rhs);
      if (isComparable(rhs))
        return yield rhs.equals(lhs);
      lhs = yield toValue(lhs);
      rhs = yield toValue(rhs);
      if (isArray(lhs)) {
        return isArray(rhs) && (yield arrayEquals(lhs, rhs));
      }
      return lhs === rhs;
    }
    function* arrayEquals(lhs, rhs) {
      if (lhs.length !== rhs.length)
        return false;
      for (let i = 0; i < lhs.length; i++) {
        if (!(yield equals(lhs[i], rhs[i])))
          return false;
      }
      return true;
    }
    function* arrayIncludes(arr, item) {
      for (const value of arr) {
        if (yield equals(value, item))
          return true;
      }
      return false;
    }
    var Node = class {
      constructor(key, value, next, prev) {
        this.key = key;
        this.value = value;
        this.next = next;
        this.prev = prev;
      }
    };
    var LRU = class {
      constructor(limit2, size2 = 0) {
        this.limit = limit2;
        this.size = size2;
        this.cache = {};
        this.head = new Node("HEAD", null, null, null);
        this.tail = new Node("TAIL", null, null, null);
        this.head.next = this.tail;
        this.tail.prev = this.head;
      }
      write(key, value) {
        if (this.cache[key]) {
          this.cache[key].value = value;
        } else {
          const node = new Node(key, value, this.head.next, this.head);
          this.head.next.prev = node;
          this.head.next = node;
          this.cache[key] = node;
          this.size++;
          this.ensureLimit();
        }
      }
      read(key) {
        if (!this.cache[key])
          return;
        const { value } = this.cache[key];
        this.remove(key);
        this.write(key, value);
        return value;
      }
      remove(key) {
        const node = this.cache[key];
        node.prev.next = node.next;
        node.next.prev = node.prev;
        delete this.cache[key];
        this.size--;
      }
      clear() {
        this.head.next = this.tail;
        this.tail.prev = this.head;
        this.size = 0;
        this.cache = {};
      }
      ensureLimit() {
        if (this.size > this.limit)
          this.remove(this.tail.prev.key);
      }
    };
    var requireResolve = (partial) => __require.resolve(partial, { paths: ["."] });
    var statAsync = promisify(fs$1.stat);
    var readFileAsync = promisify(fs$1.readFile);
    async function exists2(filepath) {
      try {
        await statAsync(filepath);
        return true;
      } catch (err) {
        return false;
      }
    }
    function readFile2(filepath) {
      return readFileAsync(filepath, "utf8");
    }
    function existsSync2(filepath) {
      try {
        fs$1.statSync(filepath);
        return true;
      } catch (err) {
        return false;
      }
    }
    function readFileSync(filepath) {
      return fs$1.readFileSync(filepath, "utf8");
    }
    function resolve5(root, file, ext2) {
      if (!path6.extname(file))
        file += ext2;
      return path6.resolve(root, file);
    }
    function fallback(file) {
      try {
        return requireResolve(file);
      } catch (e) {
      }
    }
    function dirname5(filepath) {
      return path6.dirname(filepath);
    }
    var realpathAsync = promisify(fs$1.realpath);
    async function contains(root, file) {
      try {
        const realRoot = await realpathAsync(root);
        const realFile = await realpathAsync(file);
        const prefix = realRoot.endsWith(path6.sep) ? realRoot : realRoot + path6.sep;
        return realFile.startsWith(prefix);
      } catch {
        return false;
      }
    }
    function containsSync(root, file) {
      try {
        const realRoot = fs$1.realpathSync(root);
        const realFile = fs$1.realpathSync(file);
        const prefix = realRoot.endsWith(path6.sep) ? realRoot : realRoot + path6.sep;
        return realFile.startsWith(prefix);
      } catch {
        return false;
      }
    }
    var fs4 = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      exists: exists2,
      readFile: readFile2,
      existsSync: existsSync2,
      readFileSync,
      resolve: resolve5,
      fallback,
      dirname: dirname5,
      contains,
      containsSync,
      sep: path6.sep
    });
    function chargeJsonReplacerValue(memoryLimit, val) {
      if (typeof val === "string") {
        memoryLimit.use(val.length);
      } else if (val === null || typeof val === "number" || typeof val === "boolean") {
        memoryLimit.use(JSON.stringify(val).length);
      } else if (Array.isArray(val)) {
        memoryLimit.use(val.length + 1);
      } else if (typeof val === "object") {
        memoryLimit.use(2);
      }
    }
    function defaultFilter(value, defaultValue, ...args) {
      value = toValue(value);
      if (isArray(value) || isString(value))
        return value.length ? value : defaultValue;
      if (value === false && new Map(args).get("allow_false"))
        return false;
      return isFalsy(value, this.context) ? defaultValue : value;
    }
    function json(value, space = 0) {
      const memoryLimit = this.context.memoryLimit;
      return JSON.stringify(value, (_key, val) => {
        chargeJsonReplacerValue(memoryLimit, val);
        return val;
      }, space);
    }
    function inspect2(value, space = 0) {
      const memoryLimit = this.context.memoryLimit;
      const ancestors = [];
      return JSON.stringify(value, function(_key, value2) {
        if (typeof value2 !== "object" || value2 === null) {
          chargeJsonReplacerValue(memoryLimit, value2);
          return value2;
        }
        while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this)
          ancestors.pop();
        if (ancestors.includes(value2)) {
          memoryLimit.use("[Circular]".length);
          return "[Circular]";
        }
        ancestors.push(value2);
        chargeJsonReplacerValue(memoryLimit, value2);
        return value2;
      }, space);
    }
    function to_integer(value) {
      return Number(value);
    }
    var raw = {
      raw: true,
      handler: identify
    };
    var misc = {
      default: defaultFilter,
      raw,
      jsonify: json,
      to_integer,
      json,
      inspect: inspect2
    };
    var escapeMap = {
      "&": "&amp;",
      "<": "&lt;",
      ">": "&gt;",
      '"': "&#34;",
      "'": "&#39;"
    };
    var unescapeMap = {
      "&amp;": "&",
      "&lt;": "<",
      "&gt;": ">",
      "&#34;": '"',
      "&#39;": "'"
    };
    function escape2(str) {
      str = stringify(str);
      this.context.memoryLimit.use(str.length);
      return str.replace(/&|<|>|"|'/g, (m) => escapeMap[m]);
    }
    function xml_escape(str) {
      return escape2.call(this, str);
    }
    function unescape2(str) {
      str = stringify(str);
      this.context.memoryLimit.use(str.length);
      return str.replace(/&(amp|lt|gt|#34|#39);/g, (m) => unescapeMap[m]);
    }
    function escape_once(str) {
      return escape2.call(this, unescape2.call(this, str));
    }
    function newline_to_br(v2) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      return str.replace(/\r?\n/gm, "<br />\n");
    }
    function strip_html(v2) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      const blocks = /* @__PURE__ */ new Map([["<script", "</script>"], ["<style", "</style>"], ["<!--", "-->"], ["<", ">"]]);
      let out = "";
      let i = 0;
      while (i < str.length) {
        const lt2 = str.indexOf("<", i);
        if (lt2 < 0)
          return out + str.slice(i);
        out += str.slice(i, lt2);
        for (const [opener, closer] of blocks) {
          if (!str.startsWith(opener, lt2))
            continue;
          const e = str.indexOf(closer, lt2 + opener.length);
          if (e >= 0) {
            i = e + closer.length;
            break;
          }
          blocks.delete(opener);
        }
        if (i <= lt2)
          return out + str.slice(lt2);
      }
      return out;
    }
    var htmlFilters = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      escape: escape2,
      xml_escape,
      escape_once,
      newline_to_br,
      strip_html
    });
    var MapFS = class {
      constructor(mapping) {
        this.mapping = mapping;
        this.sep = "/";
      }
      async exists(filepath) {
        return this.existsSync(filepath);
      }
      existsSync(filepath) {
        return !isNil(this.mapping[filepath]);
      }
      async readFile(filepath) {
        return this.readFileSync(filepath);
      }
      readFileSync(filepath) {
        const content = this.mapping[filepath];
        if (isNil(content))
          throw new Error(`ENOENT: ${filepath}`);
        return content;
      }
      dirname(filepath) {
        const segments = filepath.split(this.sep);
        segments.pop();
        return segments.join(this.sep);
      }
      resolve(dir, file, ext2) {
        file += ext2;
        if (dir === ".")
          return file;
        const segments = dir.split(/\/+/);
        for (const segment of file.split(this.sep)) {
          if (segment === "." || segment === "")
            continue;
          else if (segment === "..") {
            if (segments.length > 1 || segments[0] !== "")
              segments.pop();
          } else
            segments.push(segment);
        }
        return segments.join(this.sep);
      }
    };
    var defaultOptions = {
      root: ["."],
      layouts: ["."],
      partials: ["."],
      relativeReference: true,
      jekyllInclude: false,
      keyValueSeparator: ":",
      cache: void 0,
      extname: "",
      fs: fs4,
      dynamicPartials: true,
      jsTruthy: false,
      dateFormat: "%A, %B %-e, %Y at %-l:%M %P %z",
      locale: "",
      trimTagRight: false,
      trimTagLeft: false,
      trimOutputRight: false,
      trimOutputLeft: false,
      greedy: true,
      tagDelimiterLeft: "{%",
      tagDelimiterRight: "%}",
      outputDelimiterLeft: "{{",
      outputDelimiterRight: "}}",
      preserveTimezones: false,
      strictFilters: false,
      strictVariables: false,
      ownPropertyOnly: true,
      lenientIf: false,
      globals: {},
      keepOutputType: false,
      operators: defaultOperators,
      groupedExpressions: false,
      memoryLimit: Infinity,
      parseLimit: Infinity,
      renderLimit: Infinity
    };
    function normalize(options) {
      if (options.hasOwnProperty("root")) {
        if (!options.hasOwnProperty("partials"))
          options.partials = options.root;
        if (!options.hasOwnProperty("layouts"))
          options.layouts = options.root;
      }
      if (options.hasOwnProperty("cache")) {
        let cache;
        if (typeof options.cache === "number")
          cache = options.cache > 0 ? new LRU(options.cache) : void 0;
        else if (typeof options.cache === "object")
          cache = options.cache;
        else
          cache = options.cache ? new LRU(1024) : void 0;
        options.cache = cache;
      }
      options = { ...defaultOptions, ...options.jekyllInclude ? { dynamicPartials: false } : {}, ...options };
      if ((!options.fs.dirname || !options.fs.sep) && options.relativeReference) {
        console.warn("[LiquidJS] `fs.dirname` and `fs.sep` are required for relativeReference, set relativeReference to `false` to suppress this warning");
        options.relativeReference = false;
      }
      options.root = normalizeDirectoryList(options.root);
      options.partials = normalizeDirectoryList(options.partials);
      options.layouts = normalizeDirectoryList(options.layouts);
      options.outputEscape = options.outputEscape && getOutputEscapeFunction(options.outputEscape);
      if (!options.locale) {
        options.locale = getDateTimeFormat()?.().resolvedOptions().locale ?? "en-US";
      }
      if (options.templates) {
        options.fs = new MapFS(options.templates);
        options.relativeReference = true;
        options.root = options.partials = options.layouts = ".";
      }
      return options;
    }
    function getOutputEscapeFunction(nameOrFunction) {
      if (nameOrFunction === "escape")
        return escape2;
      if (nameOrFunction === "json")
        return misc.json;
      assert4(isFunction(nameOrFunction), "`outputEscape` need to be of type string or function");
      return nameOrFunction;
    }
    function normalizeDirectoryList(value) {
      let list = [];
      if (isArray(value))
        list = value;
      if (isString(value))
        list = [value];
      return list;
    }
    function whiteSpaceCtrl(tokens, options) {
      let inRaw = false;
      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i];
        if (!isDelimitedToken(token))
          continue;
        if (!inRaw && token.trimLeft) {
          trimLeft(tokens[i - 1], options.greedy);
        }
        if (isTagToken(token)) {
          if (token.name === "raw")
            inRaw = true;
          else if (token.name === "endraw")
            inRaw = false;
        }
        if (!inRaw && token.trimRight) {
          trimRight(tokens[i + 1], options.greedy);
        }
      }
    }
    function trimLeft(token, greedy) {
      if (!token || !isHTMLToken(token))
        return;
      const mask = greedy ? BLANK : INLINE_BLANK;
      while (TYPES[token.input.charCodeAt(token.end - 1 - token.trimRight)] & mask)
        token.trimRight++;
    }
    function trimRight(token, greedy) {
      if (!token || !isHTMLToken(token))
        return;
      const mask = greedy ? BLANK : INLINE_BLANK;
      while (TYPES[token.input.charCodeAt(token.begin + token.trimLeft)] & mask)
        token.trimLeft++;
      if (token.input.charAt(token.begin + token.trimLeft) === "\n")
        token.trimLeft++;
    }
    var Tokenizer = class {
      constructor(input, operators = defaultOptions.operators, file, range4, groupedExpressions = false) {
        this.input = input;
        this.file = file;
        this.rawBeginAt = -1;
        this.p = range4 ? range4[0] : 0;
        this.N = range4 ? range4[1] : input.length;
        this.opTrie = createTrie(operators);
        this.literalTrie = createTrie(literalValues);
        this.groupedExpressions = groupedExpressions;
      }
      readExpression() {
        return new Expression(this.readExpressionTokens());
      }
      *readExpressionTokens() {
        while (this.p < this.N) {
          const operator = this.readOperator();
          if (operator) {
            yield operator;
            continue;
          }
          const operand = this.readValue();
          if (operand) {
            yield operand;
            continue;
          }
          return;
        }
      }
      readOperator() {
        this.skipBlank();
        const end = this.matchTrie(this.opTrie);
        if (end === -1)
          return;
        return new OperatorToken(this.input, this.p, this.p = end, this.file);
      }
      matchTrie(trie) {
        let node = trie;
        let i = this.p;
        let info2;
        while (node[this.input[i]] && i < this.N) {
          node = node[this.input[i++]];
          if (node["end"])
            info2 = node;
        }
        if (!info2)
          return -1;
        if (info2["needBoundary"] && isWord(this.peek(i - this.p)))
          return -1;
        return i;
      }
      readFilteredValue() {
        const begin = this.p;
        const initial = this.readExpression();
        this.assert(initial.valid(), `invalid value expression: ${this.snapshot()}`);
        const filters2 = this.readFilters();
        return new FilteredValueToken(initial, filters2, this.input, begin, this.p, this.file);
      }
      readFilters() {
        const filters2 = [];
        while (true) {
          const filter3 = this.readFilter();
          if (!filter3)
            return filters2;
          filters2.push(filter3);
        }
      }
      readFilter() {
        this.skipBlank();
        if (this.end())
          return null;
        if (this.peek() === ")" || this.peek() === ",")
          return null;
        this.assert(this.read() === "|", `expected "|" before filter`);
        const name = this.readIdentifier();
        if (!name.size()) {
          this.assert(this.end(), `expected filter name`);
          return null;
        }
        const args = [];
        this.skipBlank();
        if (this.peek() === ":") {
          do {
            ++this.p;
            const arg = this.readFilterArg();
            arg && args.push(arg);
            this.skipBlank();
            this.assert(this.end() || this.peek() === "," || this.peek() === "|" || this.peek() === ")", () => `unexpected character ${this.snapshot()}`);
          } while (this.peek() === ",");
        } else if (this.peek() === "|" || this.peek() === ")" || this.peek() === "," || this.end()) ;
        else {
          throw this.error('expected ":" after filter name');
        }
        return new FilterToken(name.getText(), args, this.input, name.begin, this.p, this.file);
      }
      readFilterArg() {
        const key = this.readValue();
        if (!key)
          return;
        this.skipBlank();
        if (this.peek() !== ":")
          return key;
        ++this.p;
        const value = this.readValue();
        return [key.getText(), value];
      }
      readTopLevelTokens(options = defaultOptions) {
        const tokens = [];
        while (this.p < this.N) {
          const token = this.readTopLevelToken(options);
          tokens.push(token);
        }
        whiteSpaceCtrl(tokens, options);
        return tokens;
      }
      readTopLevelToken(options) {
        const { tagDelimiterLeft, outputDelimiterLeft } = options;
        if (this.rawBeginAt > -1)
          return this.readEndrawOrRawContent(options);
        if (this.match(tagDelimiterLeft))
          return this.readTagToken(options);
        if (this.match(outputDelimiterLeft))
          return this.readOutputToken(options);
        return this.readHTMLToken([tagDelimiterLeft, outputDelimiterLeft]);
      }
      readHTMLToken(stopStrings) {
        const begin = this.p;
        while (this.p < this.N) {
          if (stopStrings.some((str) => this.match(str)))
            break;
          ++this.p;
        }
        return new HTMLToken(this.input, begin, this.p, this.file);
      }
      readTagToken(options) {
        const { file, input } = this;
        const begin = this.p;
        if (this.readToDelimiter(options.tagDelimiterRight) === -1) {
          throw this.error(`tag ${this.snapshot(begin)} not closed`, begin);
        }
        const token = new TagToken(input, begin, this.p, options, file);
        if (token.name === "raw")
          this.rawBeginAt = begin;
        return token;
      }
      readToDelimiter(delimiter, respectQuoted = false) {
        this.skipBlank();
        while (this.p < this.N) {
          if (respectQuoted && this.peekType() & QUOTE) {
            this.readQuoted();
            continue;
          }
          ++this.p;
          if (this.rmatch(delimiter))
            return this.p;
        }
        return -1;
      }
      readOutputToken(options = defaultOptions) {
        const { file, input } = this;
        const { outputDelimiterRight } = options;
        const begin = this.p;
        if (this.readToDelimiter(outputDelimiterRight, true) === -1) {
          throw this.error(`output ${this.snapshot(begin)} not closed`, begin);
        }
        return new OutputToken(input, begin, this.p, options, file);
      }
      readEndrawOrRawContent(options) {
        const { tagDelimiterLeft, tagDelimiterRight } = options;
        const begin = this.p;
        let leftPos = this.readTo(tagDelimiterLeft) - tagDelimiterLeft.length;
        while (this.p < this.N) {
          if (this.readIdentifier().getText() !== "endraw") {
            leftPos = this.readTo(tagDelimiterLeft) - tagDelimiterLeft.length;
            continue;
          }
          while (this.p <= this.N) {
            if (this.rmatch(tagDelimiterRight)) {
              const end = this.p;
              if (begin === leftPos) {
                this.rawBeginAt = -1;
                return new TagToken(this.input, begin, end, options, this.file);
              } else {
                this.p = leftPos;
                return new HTMLToken(this.input, begin, leftPos, this.file);
              }
            }
            if (this.rmatch(tagDelimiterLeft))
              break;
            this.p++;
          }
        }
        throw this.error(`raw ${this.snapshot(this.rawBeginAt)} not closed`, begin);
      }
      readLiquidTagTokens(options = defaultOptions) {
        const tokens = [];
        while (this.p < this.N) {
          const token = this.readLiquidTagToken(options);
          token && tokens.push(token);
        }
        return tokens;
      }
      readLiquidTagToken(options) {
        this.skipBlank();
        if (this.end())
          return;
        const begin = this.p;
        this.readToDelimiter("\n");
        const end = this.p;
        return new LiquidTagToken(this.input, begin, end, options, this.file);
      }
      error(msg, pos = this.p) {
        return new TokenizationError(msg, new IdentifierToken(this.input, pos, this.N, this.file));
      }
      assert(pred, msg, pos) {
        if (!pred)
          throw this.error(typeof msg === "function" ? msg() : msg, pos);
      }
      snapshot(begin = this.p) {
        return JSON.stringify(ellipsis(this.input.slice(begin, this.N), 32));
      }
      /**
       * @deprecated use #readIdentifier instead
       */
      readWord() {
        return this.readIdentifier();
      }
      readIdentifier() {
        this.skipBlank();
        const begin = this.p;
        while (!this.end() && isWord(this.peek()))
          ++this.p;
        return new IdentifierToken(this.input, begin, this.p, this.file);
      }
      readNonEmptyIdentifier() {
        const id = this.readIdentifier();
        return id.size() ? id : void 0;
      }
      readTagName() {
        this.skipBlank();
        if (this.input[this.p] === "#")
          return this.input.slice(this.p, ++this.p);
        return this.readIdentifier().getText();
      }
      readHashes(jekyllStyle) {
        const hashes = [];
        while (true) {
          const hash = this.readHash(jekyllStyle);
          if (!hash)
            return hashes;
          hashes.push(hash);
        }
      }
      readHash(jekyllStyle) {
        this.skipBlank();
        if (this.peek() === ",")
          ++this.p;
        const begin = this.p;
        const name = this.readNonEmptyIdentifier();
        if (!name)
          return;
        let value;
        this.skipBlank();
        const sep6 = isString(jekyllStyle) ? jekyllStyle : jekyllStyle ? "=" : ":";
        if (this.peek() === sep6) {
          ++this.p;
          value = this.readValue();
        }
        return new HashToken(this.input, begin, this.p, name, value, this.file);
      }
      remaining() {
        return this.input.slice(this.p, this.N);
      }
      advance(step = 1) {
        this.p += step;
      }
      end() {
        return this.p >= this.N;
      }
      read() {
        return this.input[this.p++];
      }
      readTo(end) {
        while (this.p < this.N) {
          ++this.p;
          if (this.rmatch(end))
            return this.p;
        }
        return -1;
      }
      readValue() {
        this.skipBlank();
        const begin = this.p;
        let variable = this.readLiteral() || this.readQuoted() || this.readNumber();
        if (!variable && this.peek() === "(") {
          variable = this.readGroupOrRange();
        }
        const props = this.readProperties(!variable);
        if (!props.length)
          return variable;
        return new PropertyAccessToken(variable, props, this.input, begin, this.p);
      }
      readScopeValue() {
        this.skipBlank();
        const begin = this.p;
        const props = this.readProperties();
        if (!props.length)
          return void 0;
        return new PropertyAccessToken(void 0, props, this.input, begin, this.p);
      }
      readProperties(isBegin = true) {
        const props = [];
        while (true) {
          if (this.peek() === "[") {
            this.p++;
            const prop = this.readValue() || new IdentifierToken(this.input, this.p, this.p, this.file);
            this.assert(this.readTo("]") !== -1, "[ not closed");
            props.push(prop);
            continue;
          }
          if (isBegin && !props.length) {
            const prop = this.readNonEmptyIdentifier();
            if (prop) {
              props.push(prop);
              continue;
            }
          }
          if (this.peek() === "." && this.peek(1) !== ".") {
            this.p++;
            const prop = this.readNonEmptyIdentifier();
            if (!prop)
              break;
            props.push(prop);
            continue;
          }
          break;
        }
        return props;
      }
      readNumber() {
        this.skipBlank();
        let decimalFound = false;
        let digitFound = false;
        let n = 0;
        if (this.peekType() & SIGN)
          n++;
        while (this.p + n <= this.N) {
          if (this.peekType(n) & NUMBER) {
            digitFound = true;
            n++;
          } else if (this.peek(n) === "." && this.peek(n + 1) !== ".") {
            if (decimalFound || !digitFound)
              return;
            decimalFound = true;
            n++;
          } else
            break;
        }
        if (digitFound && !isWord(this.peek(n))) {
          const num = new NumberToken(this.input, this.p, this.p + n, this.file);
          this.advance(n);
          return num;
        }
      }
      readLiteral() {
        this.skipBlank();
        const end = this.matchTrie(this.literalTrie);
        if (end === -1)
          return;
        const literal = new LiteralToken(this.input, this.p, end, this.file);
        this.p = end;
        return literal;
      }
      readGroupOrRange() {
        this.skipBlank();
        const begin = this.p;
        if (this.peek() !== "(")
          return;
        ++this.p;
        const lhs = this.readValueOrThrow();
        this.skipBlank();
        if (this.peek() === "." && this.peek(1) === ".") {
          this.p += 2;
          const rhs = this.readValueOrThrow();
          this.skipBlank();
          this.assert(this.read() === ")", "invalid range syntax");
          return new RangeToken(this.input, begin, this.p, lhs, rhs, this.file);
        }
        if (this.groupedExpressions) {
          const initial = new Expression([lhs, ...this.readExpressionTokens()]);
          this.assert(initial.valid(), () => `invalid value expression: ${this.snapshot()}`);
          const filters2 = this.readFilters();
          this.skipBlank();
          this.assert(this.read() === ")", "unbalanced parentheses");
          return new FilteredValueToken(initial, filters2, this.input, begin, this.p, this.file);
        }
        throw this.error("invalid range syntax");
      }
      readValueOrThrow() {
        const value = this.readValue();
        this.assert(value, () => `unexpected token ${this.snapshot()}, value expected`);
        return value;
      }
      readQuoted() {
        this.skipBlank();
        const begin = this.p;
        if (!(this.peekType() & QUOTE))
          return;
        ++this.p;
        let escaped = false;
        while (this.p < this.N) {
          ++this.p;
          if (this.input[this.p - 1] === this.input[begin] && !escaped)
            break;
          if (escaped)
            escaped = false;
          else if (this.input[this.p - 1] === "\\")
            escaped = true;
        }
        return new QuotedToken(this.input, begin, this.p, this.file);
      }
      *readFileNameTemplate(options) {
        const { outputDelimiterLeft } = options;
        const htmlStopStrings = [",", " ", "\r", "\n", "	", outputDelimiterLeft];
        const htmlStopStringSet = new Set(htmlStopStrings);
        while (this.p < this.N && !htmlStopStringSet.has(this.peek())) {
          yield this.match(outputDelimiterLeft) ? this.readOutputToken(options) : this.readHTMLToken(htmlStopStrings);
        }
      }
      match(word) {
        for (let i = 0; i < word.length; i++) {
          if (word[i] !== this.input[this.p + i])
            return false;
        }
        return true;
      }
      rmatch(pattern) {
        for (let i = 0; i < pattern.length; i++) {
          if (pattern[pattern.length - 1 - i] !== this.input[this.p - 1 - i])
            return false;
        }
        return true;
      }
      peekType(n = 0) {
        return this.p + n >= this.N ? 0 : TYPES[this.input.charCodeAt(this.p + n)];
      }
      peek(n = 0) {
        return this.p + n >= this.N ? "" : this.input[this.p + n];
      }
      skipBlank() {
        while (this.peekType() & BLANK)
          ++this.p;
      }
    };
    var ParseStream = class {
      constructor(tokens, parseToken) {
        this.handlers = {};
        this.stopRequested = false;
        this.tokens = tokens;
        this.parseToken = parseToken;
      }
      on(name, cb) {
        this.handlers[name] = cb;
        return this;
      }
      trigger(event, arg) {
        const h = this.handlers[event];
        return h ? (h.call(this, arg), true) : false;
      }
      start() {
        this.trigger("start");
        let token;
        while (!this.stopRequested && (token = this.tokens.shift())) {
          if (this.trigger("token", token))
            continue;
          if (isTagToken(token) && this.trigger(`tag:${token.name}`, token)) {
            continue;
          }
          const template = this.parseToken(token, this.tokens);
          this.trigger("template", template);
        }
        if (!this.stopRequested)
          this.trigger("end");
        return this;
      }
      stop() {
        this.stopRequested = true;
        return this;
      }
    };
    var TemplateImpl = class {
      constructor(token) {
        this.token = token;
      }
    };
    var Tag = class extends TemplateImpl {
      constructor(token, remainTokens, liquid) {
        super(token);
        this.name = token.name;
        this.liquid = liquid;
        this.tokenizer = token.tokenizer;
      }
    };
    var Hash = class {
      constructor(input, jekyllStyle) {
        this.hash = {};
        const tokenizer = input instanceof Tokenizer ? input : new Tokenizer(input, {});
        for (const hash of tokenizer.readHashes(jekyllStyle)) {
          this.hash[hash.name.content] = hash.value;
        }
      }
      *render(ctx) {
        const hash = {};
        for (const key of Object.keys(this.hash)) {
          hash[key] = this.hash[key] === void 0 ? true : yield evalToken(this.hash[key], ctx);
        }
        return hash;
      }
    };
    function createTagClass(options) {
      return class extends Tag {
        constructor(token, tokens, liquid) {
          super(token, tokens, liquid);
          if (isFunction(options.parse)) {
            options.parse.call(this, token, tokens);
          }
        }
        *render(ctx, emitter) {
          const hash = yield new Hash(this.token.args, ctx.opts.keyValueSeparator).render(ctx);
          return yield options.render.call(this, ctx, emitter, hash);
        }
      };
    }
    var Value = class {
      /**
       * @param str the value to be valuated, eg.: "foobar" | truncate: 3
       */
      constructor(input, liquid) {
        this.filters = [];
        const token = typeof input === "string" ? new Tokenizer(input, liquid.options.operators, void 0, void 0, liquid.options.groupedExpressions).readFilteredValue() : input;
        this.initial = token.initial;
        this.filters = token.filters.map((token2) => new Filter(token2, this.getFilter(liquid, token2.name), liquid));
      }
      *value(ctx, lenient) {
        lenient = lenient || ctx.opts.lenientIf && this.filters.length > 0 && this.filters[0].name === "default";
        let val = yield this.initial.evaluate(ctx, lenient);
        for (const filter3 of this.filters) {
          val = yield filter3.render(val, ctx);
        }
        return val;
      }
      getFilter(liquid, name) {
        const impl = liquid.filters[name];
        assert4(impl || !liquid.options.strictFilters, () => `undefined filter: ${name}`);
        return impl;
      }
    };
    var Output = class extends TemplateImpl {
      constructor(token, liquid) {
        super(token);
        const tokenizer = new Tokenizer(token.input, liquid.options.operators, token.file, token.contentRange, liquid.options.groupedExpressions);
        this.value = new Value(tokenizer.readFilteredValue(), liquid);
        const filters2 = this.value.filters;
        const outputEscape = liquid.options.outputEscape;
        if (!filters2[filters2.length - 1]?.raw && outputEscape) {
          const token2 = new FilterToken(toString.call(outputEscape), [], "", 0, 0);
          filters2.push(new Filter(token2, outputEscape, liquid));
        }
      }
      *render(ctx, emitter) {
        const val = yield toValue(yield this.value.value(ctx, false));
        emitter.write(val);
      }
      *arguments() {
        yield this.value;
      }
    };
    var HTML = class extends TemplateImpl {
      constructor(token) {
        super(token);
        this.str = token.getContent();
      }
      *render(ctx, emitter) {
        emitter.write(this.str);
      }
    };
    var Variable = class _Variable {
      constructor(segments, location) {
        this.segments = segments;
        this.location = location;
      }
      toString() {
        return segmentsString(this.segments, true);
      }
      /** Return this variable's segments as an array, possibly with nested arrays for nested paths. */
      toArray() {
        function* _visit(...segments) {
          for (const segment of segments) {
            if (segment instanceof _Variable) {
              yield Array.from(_visit(...segment.segments));
            } else {
              yield segment;
            }
          }
        }
        return Array.from(_visit(...this.segments));
      }
    };
    var VariableMap = class {
      constructor() {
        this.map = /* @__PURE__ */ new Map();
      }
      get(key) {
        const k = segmentsString([key.segments[0]]);
        if (!this.map.has(k)) {
          this.map.set(k, []);
        }
        return this.map.get(k);
      }
      has(key) {
        return this.map.has(segmentsString([key.segments[0]]));
      }
      push(variable) {
        this.get(variable).push(variable);
      }
      asObject() {
        return Object.fromEntries(this.map);
      }
    };
    var defaultStaticAnalysisOptions = {
      partials: true
    };
    function* _analyze(templates, partials, sync) {
      const variables = new VariableMap();
      const globals = new VariableMap();
      const locals = new VariableMap();
      const rootScope = new DummyScope(/* @__PURE__ */ new Set());
      const seen = /* @__PURE__ */ new Set();
      function updateVariables(variable, scope) {
        variables.push(variable);
        const aliased = scope.alias(variable);
        if (aliased !== void 0) {
          const root = aliased.segments[0];
          if (isString(root) && !rootScope.has(root)) {
            globals.push(aliased);
          }
        } else {
          const root = variable.segments[0];
          if (isString(root) && !scope.has(root)) {
            globals.push(variable);
          }
        }
        for (const segment of variable.segments) {
          if (segment instanceof Variable) {
            updateVariables(segment, scope);
          }
        }
      }
      function* visit(template, scope) {
        if (template.arguments) {
          for (const arg of template.arguments()) {
            for (const variable of extractVariables(arg)) {
              updateVariables(variable, scope);
            }
          }
        }
        if (template.localScope) {
          for (const ident of template.localScope()) {
            scope.add(ident.content);
            scope.deleteAlias(ident.content);
            const [row, col] = ident.getPosition();
            locals.push(new Variable([ident.content], { row, col, file: ident.file }));
          }
        }
        if (template.children) {
          if (template.partialScope) {
            const partial = template.partialScope();
            if (partial === void 0) {
              for (const child of yield template.children(partials, sync)) {
                yield visit(child, scope);
              }
              return;
            }
            if (seen.has(partial.name))
              return;
            const partialScopeNames = /* @__PURE__ */ new Set();
            const partialScope = partial.isolated ? new DummyScope(partialScopeNames) : scope.push(partialScopeNames);
            for (const name of partial.scope) {
              if (isString(name)) {
                partialScopeNames.add(name);
              } else {
                const [alias, argument] = name;
                partialScopeNames.add(alias);
                const variables2 = Array.from(extractVariables(argument));
                if (variables2.length) {
                  partialScope.setAlias(alias, variables2[0].segments);
                }
              }
            }
            for (const child of yield template.children(partials, sync)) {
              yield visit(child, partialScope);
              seen.add(partial.name);
            }
            partialScope.pop();
          } else {
            if (template.blockScope) {
              scope.push(new Set(template.blockScope()));
            }
            for (const child of yield template.children(partials, sync)) {
              yield visit(child, scope);
            }
            if (template.blockScope) {
              scope.pop();
            }
          }
        }
      }
      for (const template of templates) {
        yield visit(template, rootScope);
      }
      return {
        variables: variables.asObject(),
        globals: globals.asObject(),
        locals: locals.asObject()
      };
    }
    function analyze(template, options = {}) {
      const opts = { ...defaultStaticAnalysisOptions, ...options };
      return toPromise2(_analyze(template, opts.partials, false));
    }
    function analyzeSync(template, options = {}) {
      const opts = { ...defaultStaticAnalysisOptions, ...options };
      return toValueSync(_analyze(template, opts.partials, true));
    }
    var DummyScope = class {
      constructor(globals) {
        this.stack = [{ names: globals, aliases: /* @__PURE__ */ new Map() }];
      }
      /** Return true if `name` is in scope.  */
      has(name) {
        for (const scope of this.stack) {
          if (scope.names.has(name)) {
            return true;
          }
        }
        return false;
      }
      push(scope) {
        this.stack.push({ names: scope, aliases: /* @__PURE__ */ new Map() });
        return this;
      }
      pop() {
        return this.stack.pop()?.names;
      }
      // Add a name to the template scope.
      add(name) {
        this.stack[0].names.add(name);
      }
      /** Return the variable that `variable` aliases, or `variable` if it doesn't alias anything. */
      alias(variable) {
        const root = variable.segments[0];
        if (!isString(root))
          return void 0;
        const alias = this.getAlias(root);
        if (alias === void 0)
          return void 0;
        return new Variable([...alias, ...variable.segments.slice(1)], variable.location);
      }
      // TODO: `from` could be a path with multiple segments, like `include.x`.
      setAlias(from, to) {
        this.stack[this.stack.length - 1].aliases.set(from, to);
      }
      deleteAlias(name) {
        this.stack[this.stack.length - 1].aliases.delete(name);
      }
      getAlias(name) {
        for (const scope of this.stack) {
          if (scope.aliases.has(name)) {
            return scope.aliases.get(name);
          }
          if (scope.names.has(name)) {
            return void 0;
          }
        }
        return void 0;
      }
    };
    function* extractVariables(value) {
      if (isValueToken(value)) {
        yield* extractValueTokenVariables(value);
      } else if (value instanceof Value) {
        yield* extractFilteredValueVariables(value);
      }
    }
    function* extractFilteredValueVariables(value) {
      for (const token of value.initial.postfix) {
        if (isValueToken(token)) {
          yield* extractValueTokenVariables(token);
        }
      }
      for (const filter3 of value.filters) {
        for (const arg of filter3.args) {
          if (isKeyValuePair(arg) && arg[1]) {
            yield* extractValueTokenVariables(arg[1]);
          } else if (isValueToken(arg)) {
            yield* extractValueTokenVariables(arg);
          }
        }
      }
    }
    function* extractValueTokenVariables(token) {
      if (isRangeToken(token)) {
        yield* extractValueTokenVariables(token.lhs);
        yield* extractValueTokenVariables(token.rhs);
      } else if (isFilteredValueToken(token)) {
        yield* extractGroupedExpressionTokenVariables(token);
      } else if (isPropertyAccessToken(token)) {
        yield extractPropertyAccessVariable(token);
      }
    }
    function* extractGroupedExpressionTokenVariables(token) {
      if (!isFilteredValueToken(token))
        return;
      for (const t of token.initial.postfix) {
        if (isValueToken(t))
          yield* extractValueTokenVariables(t);
      }
      for (const filter3 of token.filters) {
        for (const arg of filter3.args) {
          if (isKeyValuePair(arg) && arg[1]) {
            yield* extractValueTokenVariables(arg[1]);
          } else if (isValueToken(arg)) {
            yield* extractValueTokenVariables(arg);
          }
        }
      }
    }
    function extractPropertyAccessVariable(token) {
      const segments = [];
      let file = token.file;
      const root = token.props[0];
      file = file || root.file;
      if (isQuotedToken(root) || isNumberToken(root) || isWordToken(root)) {
        segments.push(root.content);
      } else if (isPropertyAccessToken(root)) {
        segments.push(...extractPropertyAccessVariable(root).segments);
      }
      for (const prop of token.props.slice(1)) {
        file = file || prop.file;
        if (isQuotedToken(prop) || isNumberToken(prop) || isWordToken(prop)) {
          segments.push(prop.content);
        } else if (isPropertyAccessToken(prop)) {
          segments.push(extractPropertyAccessVariable(prop));
        }
      }
      const [row, col] = token.getPosition();
      return new Variable(segments, {
        row,
        col,
        file
      });
    }
    var RE_PROPERTY = /^[\u0080-\uFFFFa-zA-Z_][\u0080-\uFFFFa-zA-Z0-9_-]*$/;
    function segmentsString(segments, bracketedRoot = false) {
      const buf = [];
      const root = segments[0];
      if (isString(root)) {
        if (!bracketedRoot || root.match(RE_PROPERTY)) {
          buf.push(`${root}`);
        } else {
          buf.push(`['${root}']`);
        }
      }
      for (const segment of segments.slice(1)) {
        if (segment instanceof Variable) {
          buf.push(`[${segmentsString(segment.segments)}]`);
        } else if (isString(segment)) {
          if (segment.match(RE_PROPERTY)) {
            buf.push(`.${segment}`);
          } else {
            buf.push(`['${segment}']`);
          }
        } else {
          buf.push(`[${segment}]`);
        }
      }
      return buf.join("");
    }
    (function(LookupType) {
      LookupType["Partials"] = "partials";
      LookupType["Layouts"] = "layouts";
      LookupType["Root"] = "root";
    })(exports.LookupType || (exports.LookupType = {}));
    var Loader = class {
      constructor(options) {
        this.options = options;
        if (options.relativeReference) {
          const sep6 = options.fs.sep;
          assert4(sep6, "`fs.sep` is required for relative reference");
          const prefixes = ["." + sep6, ".." + sep6, "./", "../"];
          this.shouldLoadRelative = (referencedFile) => prefixes.some((prefix) => referencedFile.startsWith(prefix));
        } else {
          this.shouldLoadRelative = (_referencedFile) => false;
        }
        const fs5 = options.fs;
        this.contains = toLiquidAsync(fs5.contains?.bind(fs5) || (async () => true), fs5.containsSync?.bind(fs5) || (() => true));
        this.exists = toLiquidAsync(fs5.exists?.bind(fs5) || (async () => false), fs5.existsSync?.bind(fs5));
      }
      *lookup(file, type, sync, currentFile) {
        const dirs = this.options[type];
        for (const filepath of this.candidates(file, dirs, currentFile)) {
          let allowed = false;
          for (const dir of dirs) {
            if (yield this.contains(!!sync, dir, filepath)) {
              allowed = true;
              break;
            }
          }
          if (!allowed)
            continue;
          if (yield this.exists(!!sync, filepath))
            return filepath;
        }
        throw this.lookupError(file, dirs);
      }
      *candidates(file, dirs, currentFile) {
        const { fs: fs5, extname } = this.options;
        if (this.shouldLoadRelative(file) && currentFile) {
          const referenced = fs5.resolve(this.dirname(currentFile), file, extname);
          yield referenced;
        }
        for (const dir of dirs) {
          const referenced = fs5.resolve(dir, file, extname);
          yield referenced;
        }
        if (fs5.fallback !== void 0) {
          const filepath = fs5.fallback(file);
          if (filepath !== void 0)
            yield filepath;
        }
      }
      dirname(path7) {
        const fs5 = this.options.fs;
        assert4(fs5.dirname, "`fs.dirname` is required for relative reference");
        return fs5.dirname(path7);
      }
      lookupError(file, roots) {
        const err = new Error("ENOENT");
        err.message = `ENOENT: Failed to lookup "${file}" in "${roots}"`;
        err.code = "ENOENT";
        return err;
      }
    };
    var Parser = class {
      constructor(liquid) {
        this.liquid = liquid;
        this.cache = this.liquid.options.cache;
        this.fs = this.liquid.options.fs;
        this.parseFile = this.cache ? this._parseFileCached : this._parseFile;
        this.loader = new Loader(this.liquid.options);
        this.parseLimit = new Limiter("parse length", liquid.options.parseLimit);
        this.readFile = toLiquidAsync(this.fs.readFile?.bind(this.fs) || (async () => {
          throw new Error("readFile not implemented");
        }), this.fs.readFileSync?.bind(this.fs));
      }
      parse(html, filepath) {
        html = String(html);
        this.parseLimit.use(html.length);
        const tokenizer = new Tokenizer(html, this.liquid.options.operators, filepath, void 0, this.liquid.options.groupedExpressions);
        const tokens = tokenizer.readTopLevelTokens(this.liquid.options);
        return this.parseTokens(tokens);
      }
      parseTokens(tokens) {
        let token;
        const templates = [];
        const errors = [];
        while (token = tokens.shift()) {
          try {
            templates.push(this.parseToken(token, tokens));
          } catch (err) {
            if (this.liquid.options.catchAllErrors)
              errors.push(err);
            else
              throw err;
          }
        }
        if (errors.length)
          throw new LiquidErrors(errors);
        return templates;
      }
      parseToken(token, remainTokens) {
        try {
          if (isTagToken(token)) {
            const TagClass = this.liquid.tags[token.name];
            assert4(TagClass, `tag "${token.name}" not found`);
            return new TagClass(token, remainTokens, this.liquid, this);
          }
          if (isOutputToken(token)) {
            return new Output(token, this.liquid);
          }
          return new HTML(token);
        } catch (e) {
          if (LiquidError2.is(e))
            throw e;
          throw new ParseError(e, token);
        }
      }
      parseStream(tokens) {
        return new ParseStream(tokens, (token, tokens2) => this.parseToken(token, tokens2));
      }
      *_parseFileCached(file, sync, type = exports.LookupType.Root, currentFile) {
        const cache = this.cache;
        const key = this.loader.shouldLoadRelative(file) ? currentFile + "," + file : type + ":" + file;
        const tpls = yield cache.read(key);
        if (tpls)
          return tpls;
        const task = this._parseFile(file, sync, type, currentFile);
        const taskOrTpl = sync ? yield task : toPromise2(task);
        cache.write(key, taskOrTpl);
        try {
          return yield taskOrTpl;
        } catch (err) {
          cache.remove(key);
          throw err;
        }
      }
      *_parseFile(file, sync, type = exports.LookupType.Root, currentFile) {
        const filepath = yield this.loader.lookup(file, type, sync, currentFile);
        return this.parse(yield this.readFile(!!sync, filepath), filepath);
      }
    };
    (function(TokenKind) {
      TokenKind[TokenKind["Number"] = 1] = "Number";
      TokenKind[TokenKind["Literal"] = 2] = "Literal";
      TokenKind[TokenKind["Tag"] = 4] = "Tag";
      TokenKind[TokenKind["Output"] = 8] = "Output";
      TokenKind[TokenKind["HTML"] = 16] = "HTML";
      TokenKind[TokenKind["Filter"] = 32] = "Filter";
      TokenKind[TokenKind["Hash"] = 64] = "Hash";
      TokenKind[TokenKind["PropertyAccess"] = 128] = "PropertyAccess";
      TokenKind[TokenKind["Word"] = 256] = "Word";
      TokenKind[TokenKind["Range"] = 512] = "Range";
      TokenKind[TokenKind["Quoted"] = 1024] = "Quoted";
      TokenKind[TokenKind["Operator"] = 2048] = "Operator";
      TokenKind[TokenKind["FilteredValue"] = 4096] = "FilteredValue";
      TokenKind[TokenKind["GroupedExpression"] = 8192] = "GroupedExpression";
      TokenKind[TokenKind["Delimited"] = 12] = "Delimited";
    })(exports.TokenKind || (exports.TokenKind = {}));
    function isDelimitedToken(val) {
      return !!(getKind(val) & exports.TokenKind.Delimited);
    }
    function isOperatorToken(val) {
      return getKind(val) === exports.TokenKind.Operator;
    }
    function isHTMLToken(val) {
      return getKind(val) === exports.TokenKind.HTML;
    }
    function isOutputToken(val) {
      return getKind(val) === exports.TokenKind.Output;
    }
    function isTagToken(val) {
      return getKind(val) === exports.TokenKind.Tag;
    }
    function isQuotedToken(val) {
      return getKind(val) === exports.TokenKind.Quoted;
    }
    function isLiteralToken(val) {
      return getKind(val) === exports.TokenKind.Literal;
    }
    function isNumberToken(val) {
      return getKind(val) === exports.TokenKind.Number;
    }
    function isPropertyAccessToken(val) {
      return getKind(val) === exports.TokenKind.PropertyAccess;
    }
    function isWordToken(val) {
      return getKind(val) === exports.TokenKind.Word;
    }
    function isRangeToken(val) {
      return getKind(val) === exports.TokenKind.Range;
    }
    function isFilteredValueToken(val) {
      return getKind(val) === exports.TokenKind.FilteredValue;
    }
    function isValueToken(val) {
      return (getKind(val) & 5763) > 0;
    }
    function getKind(val) {
      return val ? val.kind : -1;
    }
    var typeGuards = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      isDelimitedToken,
      isOperatorToken,
      isHTMLToken,
      isOutputToken,
      isTagToken,
      isQuotedToken,
      isLiteralToken,
      isNumberToken,
      isPropertyAccessToken,
      isWordToken,
      isRangeToken,
      isFilteredValueToken,
      isValueToken
    });
    var __assign = function() {
      __assign = Object.assign || function __assign2(t) {
        for (var s, i = 1, n = arguments.length; i < n; i++) {
          s = arguments[i];
          for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p)) t[p] = s[p];
        }
        return t;
      };
      return __assign.apply(this, arguments);
    };
    function createScope(from) {
      const scope = /* @__PURE__ */ Object.create(null);
      if (from)
        Object.assign(scope, from);
      return scope;
    }
    var Context2 = class _Context {
      constructor(env = {}, opts = defaultOptions, renderOptions = {}, { memoryLimit, renderLimit, liquid } = {}) {
        this.scopes = [createScope()];
        this.registers = {};
        this.breakCalled = false;
        this.continueCalled = false;
        this.sync = !!renderOptions.sync;
        this.opts = opts;
        this.globals = renderOptions.globals ?? opts.globals;
        this.environments = isObject(env) ? env : Object(env);
        this.strictVariables = renderOptions.strictVariables ?? this.opts.strictVariables;
        this.ownPropertyOnly = renderOptions.ownPropertyOnly ?? opts.ownPropertyOnly;
        this.memoryLimit = memoryLimit ?? new Limiter("memory alloc", renderOptions.memoryLimit ?? opts.memoryLimit);
        this.renderLimit = renderLimit ?? new Limiter("template render", getPerformance().now() + (renderOptions.renderLimit ?? opts.renderLimit));
        this.liquid = liquid;
      }
      getRegister(key, defaultValue = void 0) {
        return this.registers[key] = this.registers[key] || defaultValue;
      }
      setRegister(key, value) {
        return this.registers[key] = value;
      }
      saveRegister(...keys) {
        return keys.map((key) => [key, this.getRegister(key)]);
      }
      restoreRegister(keyValues) {
        return keyValues.forEach(([key, value]) => this.setRegister(key, value));
      }
      getAll() {
        return [this.globals, this.environments, ...this.scopes].reduce((ctx, val) => __assign(ctx, val), {});
      }
      /**
       * @deprecated use `_get()` or `getSync()` instead
       */
      get(paths) {
        return this.getSync(paths);
      }
      getSync(paths) {
        return toValueSync(this._get(paths));
      }
      *_get(paths) {
        const scope = this.findScope(paths[0]);
        return yield this._getFromScope(scope, paths);
      }
      /**
       * @deprecated use `_get()` instead
       */
      getFromScope(scope, paths) {
        return toValueSync(this._getFromScope(scope, paths));
      }
      *_getFromScope(scope, paths, strictVariables = this.strictVariables) {
        if (isString(paths))
          paths = paths.split(".");
        for (let i = 0; i < paths.length; i++) {
          scope = yield this.readProperty(scope, paths[i]);
          if (strictVariables && isUndefined(scope)) {
            throw new InternalUndefinedVariableError(paths.slice(0, i + 1).join("."));
          }
        }
        return scope;
      }
      push(ctx) {
        return this.scopes.push(ctx);
      }
      pop() {
        return this.scopes.pop();
      }
      bottom() {
        return this.scopes[0];
      }
      spawn(scope = {}) {
        return new _Context(scope, this.opts, {
          sync: this.sync,
          globals: this.globals,
          strictVariables: this.strictVariables,
          ownPropertyOnly: this.ownPropertyOnly
        }, {
          renderLimit: this.renderLimit,
          memoryLimit: this.memoryLimit,
          liquid: this.liquid
        });
      }
      findScope(key) {
        for (let i = this.scopes.length - 1; i >= 0; i--) {
          const candidate = this.scopes[i];
          if (key in candidate)
            return candidate;
        }
        if (key in this.environments)
          return this.environments;
        return this.globals;
      }
      readProperty(obj, key) {
        obj = toLiquid(obj);
        key = toValue(key);
        if (isNil(obj))
          return obj;
        if (isArray(obj) && isNumber(key))
          return readArrayElement(obj, key, this.ownPropertyOnly);
        const value = readJSProperty(obj, key, this.ownPropertyOnly);
        if (value === void 0 && obj instanceof Drop)
          return obj.liquidMethodMissing(key, this);
        if (isFunction(value))
          return value.call(obj);
        if (key === "size")
          return readSize(obj);
        else if (key === "first")
          return readFirst(obj, this.ownPropertyOnly);
        else if (key === "last")
          return readLast(obj, this.ownPropertyOnly);
        return value;
      }
    };
    function readJSProperty(obj, key, ownPropertyOnly) {
      if (ownPropertyOnly && !hasOwnProperty.call(obj, key) && !(obj instanceof Drop))
        return void 0;
      return obj[key];
    }
    function readFirst(obj, ownPropertyOnly) {
      if (isArray(obj))
        return readArrayElement(obj, 0, ownPropertyOnly);
      return readJSProperty(obj, "first", ownPropertyOnly);
    }
    function readLast(obj, ownPropertyOnly) {
      if (isArray(obj))
        return readArrayElement(obj, -1, ownPropertyOnly);
      return readJSProperty(obj, "last", ownPropertyOnly);
    }
    function readSize(obj) {
      if (hasOwnProperty.call(obj, "size") || obj["size"] !== void 0)
        return obj["size"];
      if (isArray(obj) || isString(obj))
        return obj.length;
      if (typeof obj === "object")
        return Object.keys(obj).length;
    }
    var BlockMode;
    (function(BlockMode2) {
      BlockMode2[BlockMode2["OUTPUT"] = 0] = "OUTPUT";
      BlockMode2[BlockMode2["STORE"] = 1] = "STORE";
    })(BlockMode || (BlockMode = {}));
    var abs = argumentsToNumber(Math.abs);
    var at_least = argumentsToNumber(Math.max);
    var at_most = argumentsToNumber(Math.min);
    var ceil = argumentsToNumber(Math.ceil);
    var divided_by = argumentsToNumber((dividend, divisor, integerArithmetic = false) => integerArithmetic ? Math.floor(dividend / divisor) : dividend / divisor);
    var floor = argumentsToNumber(Math.floor);
    var minus = argumentsToNumber((v2, arg) => v2 - arg);
    var plus = argumentsToNumber((lhs, rhs) => lhs + rhs);
    var modulo = argumentsToNumber((v2, arg) => (v2 % arg + arg) % arg);
    var times = argumentsToNumber((v2, arg) => v2 * arg);
    function shiftDecimal(n, exponent) {
      const [mantissa, power = "0"] = String(n).split("e");
      return Number(`${mantissa}e${Number(power) + exponent}`);
    }
    function round(v2, arg = 0) {
      v2 = toNumber(v2);
      arg = toNumber(arg);
      const scaled = shiftDecimal(Math.abs(v2), arg);
      if (!(scaled <= Number.MAX_SAFE_INTEGER))
        return v2;
      const rounded = shiftDecimal(Math.round(scaled), -arg);
      return v2 < 0 ? -rounded : rounded;
    }
    var mathFilters = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      abs,
      at_least,
      at_most,
      ceil,
      divided_by,
      floor,
      minus,
      plus,
      modulo,
      times,
      round
    });
    var url_decode = (x2) => decodeURIComponent(stringify(x2).replace(/\+/g, " "));
    var url_encode = (x2) => encodeURIComponent(stringify(x2)).replace(/%20/g, "+");
    var cgi_escape = (x2) => encodeURIComponent(stringify(x2)).replace(/%20/g, "+").replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
    var uri_escape = (x2) => encodeURI(stringify(x2)).replace(/%5B/g, "[").replace(/%5D/g, "]");
    var rSlugifyDefault = /[^\p{M}\p{L}\p{Nd}]+/ug;
    var rSlugifyReplacers = {
      "raw": /\s+/g,
      "default": rSlugifyDefault,
      "pretty": /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/ug,
      "ascii": /[^A-Za-z0-9]+/g,
      "latin": rSlugifyDefault,
      "none": null
    };
    function slugify(str, mode = "default", cased = false) {
      str = stringify(str);
      const replacer = rSlugifyReplacers[mode];
      if (replacer) {
        if (mode === "latin")
          str = removeAccents(str);
        str = str.replace(replacer, "-").replace(/^-|-$/g, "");
      }
      return cased ? str : str.toLowerCase();
    }
    function removeAccents(str) {
      return str.replace(/[àáâãäå]/g, "a").replace(/[æ]/g, "ae").replace(/[ç]/g, "c").replace(/[èéêë]/g, "e").replace(/[ìíîï]/g, "i").replace(/[ð]/g, "d").replace(/[ñ]/g, "n").replace(/[òóôõöø]/g, "o").replace(/[ùúûü]/g, "u").replace(/[ýÿ]/g, "y").replace(/[ß]/g, "ss").replace(/[œ]/g, "oe").replace(/[þ]/g, "th").replace(/[ẞ]/g, "SS").replace(/[Œ]/g, "OE").replace(/[Þ]/g, "TH");
    }
    var urlFilters = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      url_decode,
      url_encode,
      cgi_escape,
      uri_escape,
      slugify
    });
    var join4 = argumentsToValue(function(v2, arg) {
      const array = toArray(v2);
      const sep6 = isNil(arg) ? " " : stringify(arg);
      let outputSize = sep6.length * Math.max(array.length - 1, 0);
      for (let i = 0; i < array.length; i++)
        outputSize += String(array[i]).length;
      this.context.memoryLimit.use(outputSize);
      return Array.prototype.join.call(array, sep6);
    });
    var last = argumentsToValue(function(v2) {
      return isArrayLike(v2) ? readArrayElement(v2, -1, this.context.ownPropertyOnly) : "";
    });
    var first = argumentsToValue(function(v2) {
      return isArrayLike(v2) ? readArrayElement(v2, 0, this.context.ownPropertyOnly) : "";
    });
    var reverse = argumentsToValue(function(v2) {
      const array = toArray(v2);
      this.context.memoryLimit.use(array.length);
      return [...array].reverse();
    });
    function* sortBy(arr, property, comparator) {
      const values = [];
      const array = toArray(arr);
      this.context.memoryLimit.use(array.length);
      for (const item of array) {
        values.push([
          item,
          property ? yield this.context._getFromScope(item, stringify(property).split("."), false) : item
        ]);
      }
      return values.sort((lhs, rhs) => comparator(lhs[1], rhs[1])).map((tuple) => tuple[0]);
    }
    function* sort(arr, property) {
      return yield* sortBy.call(this, arr, property, orderedCompare);
    }
    function* sort_natural(arr, property) {
      return yield* sortBy.call(this, arr, property, caseInsensitiveCompare);
    }
    var size = (v2) => v2 && v2.length || 0;
    function* map(arr, property) {
      const results = [];
      const array = toArray(arr);
      this.context.memoryLimit.use(array.length);
      for (const item of array) {
        results.push(yield this.context._getFromScope(item, stringify(property), false));
      }
      return results;
    }
    function* sum(arr, property) {
      let sum2 = 0;
      const array = toArray(arr);
      for (const item of array) {
        const data = Number(property ? yield this.context._getFromScope(item, stringify(property), false) : item);
        sum2 += Number.isNaN(data) ? 0 : data;
      }
      return sum2;
    }
    function compact(arr) {
      const array = toArray(arr);
      this.context.memoryLimit.use(array.length);
      return Array.prototype.filter.call(array, (x2) => !isNil(toValue(x2)));
    }
    function concat(v2, arg = []) {
      const lhs = toArray(v2);
      const rhs = toArray(arg);
      this.context.memoryLimit.use(lhs.length + rhs.length);
      return Array.prototype.concat.call(lhs, rhs);
    }
    function push(v2, arg) {
      return concat.call(this, v2, [arg]);
    }
    function unshift(v2, arg) {
      const array = toArray(v2);
      this.context.memoryLimit.use(array.length);
      const clone = [...array];
      clone.unshift(arg);
      return clone;
    }
    function pop(v2) {
      const array = toArray(v2);
      this.context.memoryLimit.use(array.length);
      const clone = [...array];
      clone.pop();
      return clone;
    }
    function shift(v2) {
      const array = toArray(v2);
      this.context.memoryLimit.use(array.length);
      const clone = [...array];
      clone.shift();
      return clone;
    }
    function slice(v2, begin, length = 1) {
      v2 = toValue(v2);
      if (isNil(v2))
        return [];
      if (!isArray(v2))
        v2 = stringify(v2);
      begin = begin < 0 ? (isArray(v2) ? v2.length : codePointLength(v2)) + begin : begin;
      if (begin < 0 || length < 0)
        return isArray(v2) ? [] : "";
      this.context.memoryLimit.use(length);
      if (isArray(v2))
        return Array.prototype.slice.call(v2, begin, begin + length);
      const start = advanceCodePoints(v2, 0, begin);
      return v2.slice(start, advanceCodePoints(v2, start, length));
    }
    function* matches2(value, expected) {
      if (this.context.opts.jekyllWhere) {
        if (EmptyDrop.is(expected))
          return yield equals(value, expected);
        if (isArray(value))
          return yield arrayIncludes(value, expected);
        return yield equals(value, expected);
      }
      if (expected === void 0)
        return isTruthy(value, this.context);
      return yield equals(value, expected);
    }
    function* filter2(include, arr, property, expected) {
      arr = toArray(arr);
      this.context.memoryLimit.use(arr.length);
      const token = new Tokenizer(stringify(property)).readScopeValue();
      const result = [];
      for (const item of arr) {
        const value = yield evalToken(token, this.context.spawn(item));
        if ((yield matches2.call(this, value, expected)) === include)
          result.push(item);
      }
      return result;
    }
    function* filter_exp(include, arr, itemName, exp) {
      const filtered = [];
      const keyTemplate = new Value(stringify(exp), this.liquid);
      const array = toArray(arr);
      this.context.memoryLimit.use(array.length);
      for (const item of array) {
        this.context.push({ [itemName]: item });
        const value = yield keyTemplate.value(this.context);
        this.context.pop();
        if (value === include)
          filtered.push(item);
      }
      return filtered;
    }
    function* where(arr, property, expected) {
      return yield* filter2.call(this, true, arr, property, expected);
    }
    function* reject2(arr, property, expected) {
      return yield* filter2.call(this, false, arr, property, expected);
    }
    function* where_exp(arr, itemName, exp) {
      return yield* filter_exp.call(this, true, arr, itemName, exp);
    }
    function* reject_exp(arr, itemName, exp) {
      return yield* filter_exp.call(this, false, arr, itemName, exp);
    }
    function* group_by(arr, property) {
      const map2 = /* @__PURE__ */ new Map();
      arr = toEnumerable(arr);
      const token = new Tokenizer(stringify(property)).readScopeValue();
      this.context.memoryLimit.use(arr.length);
      for (const item of arr) {
        const key = yield evalToken(token, this.context.spawn(item));
        if (!map2.has(key))
          map2.set(key, []);
        map2.get(key).push(item);
      }
      return [...map2.entries()].map(([name, items]) => ({ name, items }));
    }
    function* group_by_exp(arr, itemName, exp) {
      const map2 = /* @__PURE__ */ new Map();
      const keyTemplate = new Value(stringify(exp), this.liquid);
      arr = toEnumerable(arr);
      this.context.memoryLimit.use(arr.length);
      for (const item of arr) {
        this.context.push({ [itemName]: item });
        const key = yield keyTemplate.value(this.context);
        this.context.pop();
        if (!map2.has(key))
          map2.set(key, []);
        map2.get(key).push(item);
      }
      return [...map2.entries()].map(([name, items]) => ({ name, items }));
    }
    function* search(arr, property, expected) {
      const token = new Tokenizer(stringify(property)).readScopeValue();
      const array = toArray(arr);
      for (let index = 0; index < array.length; index++) {
        const value = yield evalToken(token, this.context.spawn(array[index]));
        if (yield matches2.call(this, value, expected))
          return [index, array[index]];
      }
    }
    function* search_exp(arr, itemName, exp) {
      const predicate = new Value(stringify(exp), this.liquid);
      const array = toArray(arr);
      for (let index = 0; index < array.length; index++) {
        this.context.push({ [itemName]: array[index] });
        const value = yield predicate.value(this.context);
        this.context.pop();
        if (value)
          return [index, array[index]];
      }
    }
    function* has(arr, property, expected) {
      const result = yield* search.call(this, arr, property, expected);
      return !!result;
    }
    function* has_exp(arr, itemName, exp) {
      const result = yield* search_exp.call(this, arr, itemName, exp);
      return !!result;
    }
    function* find_index(arr, property, expected) {
      const result = yield* search.call(this, arr, property, expected);
      return result ? result[0] : void 0;
    }
    function* find_index_exp(arr, itemName, exp) {
      const result = yield* search_exp.call(this, arr, itemName, exp);
      return result ? result[0] : void 0;
    }
    function* find(arr, property, expected) {
      const result = yield* search.call(this, arr, property, expected);
      return result ? result[1] : void 0;
    }
    function* find_exp(arr, itemName, exp) {
      const result = yield* search_exp.call(this, arr, itemName, exp);
      return result ? result[1] : void 0;
    }
    function uniq(arr) {
      arr = toArray(arr);
      this.context.memoryLimit.use(arr.length);
      return [...new Set(arr)];
    }
    function sample(v2, count = 1) {
      v2 = toValue(v2);
      if (isNil(v2))
        return [];
      if (!isArray(v2))
        v2 = stringify(v2);
      this.context.memoryLimit.use(v2.length);
      const shuffled = [...v2].sort(() => Math.random() - 0.5);
      if (count === 1)
        return shuffled[0];
      return shuffled.slice(0, count);
    }
    var arrayFilters = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      join: join4,
      last,
      first,
      reverse,
      sort,
      sort_natural,
      size,
      map,
      sum,
      compact,
      concat,
      push,
      unshift,
      pop,
      shift,
      slice,
      where,
      reject: reject2,
      where_exp,
      reject_exp,
      group_by,
      group_by_exp,
      has,
      has_exp,
      find_index,
      find_index_exp,
      find,
      find_exp,
      uniq,
      sample
    });
    function date(v2, format2, timezoneOffset) {
      const size2 = (v2?.length ?? 0) + (timezoneOffset?.length ?? 0);
      this.context.memoryLimit.use(size2);
      const date2 = parseDate(v2, this.context.opts, timezoneOffset);
      if (!date2)
        return v2;
      format2 = toValue(format2);
      format2 = isNil(format2) ? this.context.opts.dateFormat : stringify(format2);
      this.context.memoryLimit.use(format2.length);
      return strftime(date2, format2, this.context.memoryLimit);
    }
    function date_to_xmlschema(v2) {
      return date.call(this, v2, "%Y-%m-%dT%H:%M:%S%:z");
    }
    function date_to_rfc822(v2) {
      const date2 = parseDate(v2, this.context.opts, void 0, "en-US");
      if (!date2)
        return v2;
      return strftime(date2, "%a, %d %b %Y %H:%M:%S %z", this.context.memoryLimit);
    }
    function date_to_string(v2, type, style) {
      return stringify_date.call(this, v2, "%b", type, style);
    }
    function date_to_long_string(v2, type, style) {
      return stringify_date.call(this, v2, "%B", type, style);
    }
    function stringify_date(v2, month_type, type, style) {
      const date2 = parseDate(v2, this.context.opts);
      if (!date2)
        return v2;
      const ml = this.context.memoryLimit;
      if (type === "ordinal") {
        const d = date2.getDate();
        return style === "US" ? strftime(date2, `${month_type} ${d}%q, %Y`, ml) : strftime(date2, `${d}%q ${month_type} %Y`, ml);
      }
      return strftime(date2, `%d ${month_type} %Y`, ml);
    }
    function parseDate(v2, opts, timezoneOffset, locale = opts.locale) {
      let date2;
      const defaultTimezoneOffset = timezoneOffset ?? opts.timezoneOffset;
      v2 = toValue(v2);
      if (isNil(v2)) {
        return void 0;
      } else if (v2 === "now" || v2 === "today") {
        date2 = new LiquidDate(Date.now(), locale, defaultTimezoneOffset);
      } else if (isNumber(v2)) {
        date2 = new LiquidDate(v2 * 1e3, locale, defaultTimezoneOffset);
      } else if (isString(v2)) {
        if (/^\d+$/.test(v2)) {
          date2 = new LiquidDate(+v2 * 1e3, locale, defaultTimezoneOffset);
        } else if (opts.preserveTimezones && timezoneOffset === void 0) {
          date2 = LiquidDate.createDateFixedToTimezone(v2, locale);
        } else {
          date2 = new LiquidDate(v2, locale, defaultTimezoneOffset);
        }
      } else {
        date2 = new LiquidDate(v2, locale, defaultTimezoneOffset);
      }
      return date2.valid() ? date2 : void 0;
    }
    var dateFilters = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      date,
      date_to_xmlschema,
      date_to_rfc822,
      date_to_string,
      date_to_long_string
    });
    var rCJKWord = /[\u4E00-\u9FFF\uF900-\uFAFF\u3400-\u4DBF\u3040-\u309F\u30A0-\u30FF\uAC00-\uD7AF]/gu;
    var rNonCJKWord = /[^\u4E00-\u9FFF\uF900-\uFAFF\u3400-\u4DBF\u3040-\u309F\u30A0-\u30FF\uAC00-\uD7AF\s]+/gu;
    function append(v2, arg) {
      assert4(arguments.length === 2, "append expect 2 arguments");
      const lhs = stringify(v2);
      const rhs = stringify(arg);
      this.context.memoryLimit.use(lhs.length + rhs.length);
      return lhs + rhs;
    }
    function prepend(v2, arg) {
      assert4(arguments.length === 2, "prepend expect 2 arguments");
      const lhs = stringify(v2);
      const rhs = stringify(arg);
      this.context.memoryLimit.use(lhs.length + rhs.length);
      return rhs + lhs;
    }
    function getTrimStart(str, chars) {
      let start = 0;
      for (const char of str) {
        if (!chars.has(char))
          break;
        start += char.length;
      }
      return start;
    }
    function getTrimEnd(str, chars, start = 0) {
      let end = str.length;
      while (end > start) {
        const size2 = end - start >= 2 && str.codePointAt(end - 2) > 65535 ? 2 : 1;
        if (!chars.has(str.slice(end - size2, end)))
          break;
        end -= size2;
      }
      return end;
    }
    function lstrip(v2, chars) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      if (chars) {
        chars = stringify(chars);
        this.context.memoryLimit.use(chars.length);
        return str.slice(getTrimStart(str, new Set(chars)));
      }
      return str.trimStart();
    }
    function downcase(v2) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      return str.toLowerCase();
    }
    function upcase(v2) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      return stringify(str).toUpperCase();
    }
    function remove(v2, arg) {
      const str = stringify(v2);
      arg = stringify(arg);
      this.context.memoryLimit.use(str.length + arg.length);
      return str.split(arg).join("");
    }
    function remove_first(v2, l3) {
      const str = stringify(v2);
      l3 = stringify(l3);
      this.context.memoryLimit.use(str.length + l3.length);
      return str.replace(l3, "");
    }
    function remove_last(v2, l3) {
      const str = stringify(v2);
      const pattern = stringify(l3);
      this.context.memoryLimit.use(str.length + pattern.length);
      const index = str.lastIndexOf(pattern);
      if (index === -1)
        return str;
      return str.substring(0, index) + str.substring(index + pattern.length);
    }
    function rstrip(str, chars) {
      str = stringify(str);
      this.context.memoryLimit.use(str.length);
      if (chars) {
        chars = stringify(chars);
        this.context.memoryLimit.use(chars.length);
        return str.slice(0, getTrimEnd(str, new Set(chars)));
      }
      return str.trimEnd();
    }
    function split(v2, arg) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      const arr = str.split(stringify(arg));
      while (arr.length && arr[arr.length - 1] === "")
        arr.pop();
      return arr;
    }
    function strip(v2, chars) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      if (chars) {
        const set = new Set(stringify(chars));
        this.context.memoryLimit.use(set.size);
        const start = getTrimStart(str, set);
        return str.slice(start, getTrimEnd(str, set, start));
      }
      return str.trim();
    }
    function strip_newlines(v2) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      return str.replace(/\r?\n/gm, "");
    }
    function squish(v2) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      return str.replace(/\s+/g, " ").trim();
    }
    function capitalize2(str) {
      str = stringify(str);
      this.context.memoryLimit.use(str.length);
      return str.charAt(0).toUpperCase() + str.slice(1).toLowerCase();
    }
    function replace(v2, pattern, replacement) {
      const str = stringify(v2);
      pattern = stringify(pattern);
      replacement = stringify(replacement);
      const parts = str.split(pattern);
      const outputSize = str.length + (parts.length - 1) * (replacement.length - pattern.length);
      this.context.memoryLimit.use(outputSize);
      return parts.join(replacement);
    }
    function replace_first(v2, arg1, arg2) {
      const str = stringify(v2);
      arg1 = stringify(arg1);
      arg2 = stringify(arg2);
      this.context.memoryLimit.use(str.length + arg1.length + arg2.length);
      return str.replace(arg1, () => arg2);
    }
    function replace_last(v2, arg1, arg2) {
      const str = stringify(v2);
      const pattern = stringify(arg1);
      const replacement = stringify(arg2);
      this.context.memoryLimit.use(str.length + pattern.length + replacement.length);
      const index = str.lastIndexOf(pattern);
      if (index === -1)
        return str;
      return str.substring(0, index) + replacement + str.substring(index + pattern.length);
    }
    function truncate(v2, l3 = 50, o = "...") {
      const str = stringify(v2);
      o = stringify(o);
      this.context.memoryLimit.use(str.length + o.length);
      if (str.length <= l3 || advanceCodePoints(str, 0, l3) >= str.length)
        return v2;
      return str.slice(0, advanceCodePoints(str, 0, Math.max(l3 - codePointLength(o), 0))) + o;
    }
    function truncatewords(v2, words = 15, o = "...") {
      const str = stringify(v2);
      o = stringify(o);
      this.context.memoryLimit.use(str.length + o.length);
      const arr = str.trimStart().split(/\s+/);
      if (words <= 0)
        words = 1;
      let ret = arr.slice(0, words).join(" ");
      if (arr.length >= words)
        ret += o;
      return ret;
    }
    function normalize_whitespace(v2) {
      const str = stringify(v2);
      this.context.memoryLimit.use(str.length);
      return str.replace(/\s+/g, " ");
    }
    function number_of_words(input, mode) {
      const str = stringify(input);
      this.context.memoryLimit.use(str.length);
      input = str.trim();
      if (!input)
        return 0;
      switch (mode) {
        case "cjk":
          return (input.match(rCJKWord) || []).length + (input.match(rNonCJKWord) || []).length;
        case "auto":
          return rCJKWord.test(input) ? input.match(rCJKWord).length + (input.match(rNonCJKWord) || []).length : input.split(/\s+/).length;
        default:
          return input.split(/\s+/).length;
      }
    }
    function array_to_sentence_string(input, connector = "and") {
      const array = toArray(input);
      connector = stringify(connector);
      let outputSize = connector.length + array.length * 2;
      for (let i = 0; i < array.length; i++)
        outputSize += stringify(array[i]).length;
      this.context.memoryLimit.use(outputSize);
      switch (array.length) {
        case 0:
          return "";
        case 1:
          return array[0];
        case 2:
          return `${array[0]} ${connector} ${array[1]}`;
        default:
          return `${array.slice(0, -1).join(", ")}, ${connector} ${array[array.length - 1]}`;
      }
    }
    var stringFilters = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      append,
      prepend,
      lstrip,
      downcase,
      upcase,
      remove,
      remove_first,
      remove_last,
      rstrip,
      split,
      strip,
      strip_newlines,
      squish,
      capitalize: capitalize2,
      replace,
      replace_first,
      replace_last,
      truncate,
      truncatewords,
      normalize_whitespace,
      number_of_words,
      array_to_sentence_string
    });
    function base64Encode(str) {
      return Buffer.from(str, "utf8").toString("base64");
    }
    function base64Decode(str) {
      return Buffer.from(str, "base64").toString("utf8");
    }
    function base64_encode(value) {
      if (typeof Buffer !== "undefined" && Buffer.isBuffer(value)) {
        this.context.memoryLimit.use(value.byteLength);
        return value.toString("base64");
      }
      const str = stringify(value);
      this.context.memoryLimit.use(str.length);
      return base64Encode(str);
    }
    function base64_decode(value) {
      const str = stringify(value);
      this.context.memoryLimit.use(str.length);
      assert4(isBase64(str), "invalid base64 provided to base64_decode");
      return base64Decode(str);
    }
    function isBase64(str) {
      str = str.replace(/[\t\n\f\r ]/g, "");
      if (str.length % 4 === 0)
        str = str.replace(/==?$/, "");
      return str.length % 4 !== 1 && /^[A-Za-z0-9+/]*$/.test(str);
    }
    var base64Filters = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      base64_encode,
      base64_decode
    });
    function sha256(str) {
      return crypto2.createHash("sha256").update(str, "utf8").digest("hex");
    }
    function hmacSha256(str, key) {
      return crypto2.createHmac("sha256", key).update(str, "utf8").digest("hex");
    }
    function sha256$1(value) {
      const str = stringify(value);
      this.context.memoryLimit.use(str.length);
      return sha256(str);
    }
    function hmac_sha256(value, key) {
      const str = stringify(value);
      const keyStr = stringify(key);
      this.context.memoryLimit.use(str.length + keyStr.length);
      return hmacSha256(str, keyStr);
    }
    var cryptoFilters = /* @__PURE__ */ Object.freeze({
      __proto__: null,
      sha256: sha256$1,
      hmac_sha256
    });
    var filters = {
      ...htmlFilters,
      ...mathFilters,
      ...urlFilters,
      ...arrayFilters,
      ...dateFilters,
      ...stringFilters,
      ...base64Filters,
      ...cryptoFilters,
      ...misc
    };
    var AssignTag = class extends Tag {
      constructor(token, remainTokens, liquid) {
        super(token, remainTokens, liquid);
        this.identifier = this.tokenizer.readIdentifier();
        this.key = this.identifier.content;
        this.tokenizer.assert(this.key, "expected variable name");
        this.tokenizer.skipBlank();
        this.tokenizer.assert(this.tokenizer.peek() === "=", 'expected "="');
        this.tokenizer.advance();
        this.value = new Value(this.tokenizer.readFilteredValue(), this.liquid);
      }
      *render(ctx) {
        ctx.bottom()[this.key] = yield this.value.value(ctx, this.liquid.options.lenientIf);
      }
      *arguments() {
        yield this.value;
      }
      *localScope() {
        yield this.identifier;
      }
    };
    var MODIFIERS = ["offset", "limit", "reversed"];
    var ForTag = class extends Tag {
      constructor(token, remainTokens, liquid, parser) {
        super(token, remainTokens, liquid);
        const variable = this.tokenizer.readIdentifier();
        const inStr = this.tokenizer.readIdentifier();
        const collection = this.tokenizer.readValue();
        if (!variable.size() || inStr.content !== "in" || !collection) {
          throw new Error(`illegal tag: ${token.getText()}`);
        }
        this.variable = variable.content;
        this.collection = collection;
        this.hash = new Hash(this.tokenizer, liquid.options.keyValueSeparator);
        this.templates = [];
        this.elseTemplates = [];
        let p;
        const stream2 = parser.parseStream(remainTokens).on("start", () => p = this.templates).on("tag:else", (tag) => {
          assertEmpty(tag.args);
          p = this.elseTemplates;
        }).on("tag:endfor", (tag) => {
          assertEmpty(tag.args);
          stream2.stop();
        }).on("template", (tpl) => p.push(tpl)).on("end", () => {
          throw new Error(`tag ${token.getText()} not closed`);
        });
        stream2.start();
      }
      *render(ctx, emitter) {
        const r = this.liquid.renderer;
        let collection = toEnumerable(yield evalToken(this.collection, ctx));
        if (!collection.length) {
          yield r.renderTemplates(this.elseTemplates, ctx, emitter);
          return;
        }
        const continueKey = "continue-" + this.variable + "-" + this.collection.getText();
        ctx.push(createScope({ continue: ctx.getRegister(continueKey, {}) }));
        const hash = yield this.hash.render(ctx);
        ctx.pop();
        const modifiers = this.liquid.options.orderedFilterParameters ? Object.keys(hash).filter((x2) => MODIFIERS.includes(x2)) : MODIFIERS.filter((x2) => hash[x2] !== void 0);
        collection = modifiers.reduce((collection2, modifier) => {
          if (modifier === "offset")
            return offset(collection2, hash["offset"]);
          if (modifier === "limit")
            return limit(collection2, hash["limit"]);
          return reversed(collection2);
        }, collection);
        ctx.setRegister(continueKey, (hash["offset"] || 0) + collection.length);
        const scope = createScope({ forloop: new ForloopDrop(collection.length, this.collection.getText(), this.variable) });
        ctx.push(scope);
        for (const item of collection) {
          scope[this.variable] = item;
          ctx.continueCalled = ctx.breakCalled = false;
          yield r.renderTemplates(this.templates, ctx, emitter);
          if (ctx.breakCalled)
            break;
          scope.forloop.next();
        }
        ctx.continueCalled = ctx.breakCalled = false;
        ctx.pop();
      }
      *children() {
        const templates = this.templates.slice();
        if (this.elseTemplates) {
          templates.push(...this.elseTemplates);
        }
        return templates;
      }
      *arguments() {
        yield this.collection;
        for (const v2 of Object.values(this.hash.hash)) {
          if (isValueToken(v2)) {
            yield v2;
          }
        }
      }
      blockScope() {
        return [this.variable, "forloop"];
      }
    };
    function reversed(arr) {
      return [...arr].reverse();
    }
    function offset(arr, count) {
      return arr.slice(count);
    }
    function limit(arr, count) {
      return arr.slice(0, count);
    }
    var CaptureTag2 = class extends Tag {
      constructor(tagToken, remainTokens, liquid, parser) {
        super(tagToken, remainTokens, liquid);
        this.templates = [];
        this.identifier = this.readVariable();
        this.variable = this.identifier.content;
        while (remainTokens.length) {
          const token = remainTokens.shift();
          if (isTagToken(token) && token.name === "endcapture")
            return;
          this.templates.push(parser.parseToken(token, remainTokens));
        }
        throw new Error(`tag ${tagToken.getText()} not closed`);
      }
      readVariable() {
        let ident = this.tokenizer.readIdentifier();
        if (ident.content)
          return ident;
        ident = this.tokenizer.readQuoted();
        if (ident)
          return ident;
        throw this.tokenizer.error("invalid capture name");
      }
      *render(ctx) {
        const r = this.liquid.renderer;
        const html = yield r.renderTemplates(this.templates, ctx);
        ctx.bottom()[this.variable] = html;
      }
      *children() {
        return this.templates;
      }
      *localScope() {
        yield this.identifier;
      }
    };
    var CaseTag = class extends Tag {
      constructor(tagToken, remainTokens, liquid, parser) {
        super(tagToken, remainTokens, liquid);
        this.branches = [];
        this.elseTemplates = [];
        this.value = new Value(this.tokenizer.readFilteredValue(), this.liquid);
        this.elseTemplates = [];
        let p = [];
        let elseCount = 0;
        const stream2 = parser.parseStream(remainTokens).on("tag:when", (token) => {
          if (elseCount > 0) {
            return;
          }
          p = [];
          const values = [];
          while (!token.tokenizer.end()) {
            values.push(token.tokenizer.readValueOrThrow());
            token.tokenizer.skipBlank();
            if (token.tokenizer.peek() === ",") {
              token.tokenizer.readTo(",");
            } else {
              token.tokenizer.readTo("or");
            }
          }
          this.branches.push({
            values,
            templates: p
          });
        }).on("tag:else", () => {
          elseCount++;
          p = this.elseTemplates;
        }).on("tag:endcase", () => stream2.stop()).on("template", (tpl) => {
          if (p !== this.elseTemplates || elseCount === 1) {
            p.push(tpl);
          }
        }).on("end", () => {
          throw new Error(`tag ${tagToken.getText()} not closed`);
        });
        stream2.start();
      }
      *render(ctx, emitter) {
        const r = this.liquid.renderer;
        const target = yield toValue(yield this.value.value(ctx, ctx.opts.lenientIf));
        let branchHit = false;
        for (const branch of this.branches) {
          for (const valueToken of branch.values) {
            const value = yield evalToken(valueToken, ctx, ctx.opts.lenientIf);
            if (yield equals(target, value)) {
              yield r.renderTemplates(branch.templates, ctx, emitter);
              branchHit = true;
              break;
            }
          }
        }
        if (!branchHit) {
          yield r.renderTemplates(this.elseTemplates, ctx, emitter);
        }
      }
      *arguments() {
        yield this.value;
        yield* this.branches.flatMap((b) => b.values);
      }
      *children() {
        const templates = this.branches.flatMap((b) => b.templates);
        if (this.elseTemplates) {
          templates.push(...this.elseTemplates);
        }
        return templates;
      }
    };
    var CommentTag = class extends Tag {
      constructor(tagToken, remainTokens, liquid) {
        super(tagToken, remainTokens, liquid);
        while (remainTokens.length) {
          const token = remainTokens.shift();
          if (isTagToken(token) && token.name === "endcomment")
            return;
        }
        throw new Error(`tag ${tagToken.getText()} not closed`);
      }
      render() {
      }
    };
    var RenderTag = class extends Tag {
      constructor(token, remainTokens, liquid, parser) {
        super(token, remainTokens, liquid);
        const tokenizer = this.tokenizer;
        this.file = parseFilePath(tokenizer, this.liquid, parser);
        this.currentFile = token.file;
        while (!tokenizer.end()) {
          tokenizer.skipBlank();
          const begin = tokenizer.p;
          const keyword = tokenizer.readIdentifier();
          if (keyword.content === "with" || keyword.content === "for") {
            tokenizer.skipBlank();
            if (tokenizer.peek() !== ":") {
              const value = tokenizer.readValue();
              if (value) {
                const beforeAs = tokenizer.p;
                const asStr = tokenizer.readIdentifier();
                let alias;
                if (asStr.content === "as")
                  alias = tokenizer.readIdentifier();
                else
                  tokenizer.p = beforeAs;
                const binding = { value, alias: alias && alias.content };
                if (keyword.content === "with")
                  this.with = binding;
                else
                  this.forBinding = binding;
                tokenizer.skipBlank();
                if (tokenizer.peek() === ",")
                  tokenizer.advance();
                continue;
              }
            }
          }
          tokenizer.p = begin;
          break;
        }
        this.hash = new Hash(tokenizer, liquid.options.keyValueSeparator);
      }
      *render(ctx, emitter) {
        const { liquid, hash } = this;
        const filepath = yield renderFilePath(this.file, ctx, liquid);
        assert4(filepath, () => `illegal file path "${filepath}"`);
        const childCtx = ctx.spawn();
        const scope = childCtx.bottom();
        __assign(scope, yield hash.render(ctx));
        if (this.with) {
          const { value, alias } = this.with;
          scope[alias || filepath] = yield evalToken(value, ctx);
        }
        if (this.forBinding) {
          const { value, alias } = this.forBinding;
          const collection = toEnumerable(yield evalToken(value, ctx));
          scope["forloop"] = new ForloopDrop(collection.length, value.getText(), alias);
          for (const item of collection) {
            scope[alias] = item;
            const templates = yield liquid._parsePartialFile(filepath, childCtx.sync, this.currentFile);
            yield liquid.renderer.renderTemplates(templates, childCtx, emitter);
            scope["forloop"].next();
          }
        } else {
          const templates = yield liquid._parsePartialFile(filepath, childCtx.sync, this.currentFile);
          yield liquid.renderer.renderTemplates(templates, childCtx, emitter);
        }
      }
      *children(partials, sync) {
        if (partials && isString(this.file)) {
          return yield this.liquid._parsePartialFile(this.file, sync, this.currentFile);
        }
        return [];
      }
      partialScope() {
        if (isString(this.file)) {
          const names = Object.keys(this.hash.hash);
          if (this.with) {
            const { value, alias } = this.with;
            if (isString(alias)) {
              names.push([alias, value]);
            } else if (isString(this.file)) {
              names.push([this.file, value]);
            }
          }
          if (this.forBinding) {
            const { value, alias } = this.forBinding;
            if (isString(alias)) {
              names.push([alias, value]);
            } else if (isString(this.file)) {
              names.push([this.file, value]);
            }
          }
          return { name: this.file, isolated: true, scope: names };
        }
      }
      *arguments() {
        for (const v2 of Object.values(this.hash.hash)) {
          if (isValueToken(v2)) {
            yield v2;
          }
        }
        if (this.with) {
          const { value } = this.with;
          if (isValueToken(value)) {
            yield value;
          }
        }
        if (this.forBinding) {
          const { value } = this.forBinding;
          if (isValueToken(value)) {
            yield value;
          }
        }
      }
    };
    function parseFilePath(tokenizer, liquid, parser) {
      if (liquid.options.dynamicPartials) {
        const file = tokenizer.readValue();
        tokenizer.assert(file, "illegal file path");
        if (file.getText() === "none")
          return;
        if (isQuotedToken(file)) {
          const templates2 = parser.parse(evalQuotedToken(file));
          return optimize(templates2);
        }
        return file;
      }
      const tokens = [...tokenizer.readFileNameTemplate(liquid.options)];
      const templates = optimize(parser.parseTokens(tokens));
      return templates === "none" ? void 0 : templates;
    }
    function optimize(templates) {
      if (templates.length === 1 && isHTMLToken(templates[0].token))
        return templates[0].token.getContent();
      return templates;
    }
    function* renderFilePath(file, ctx, liquid) {
      if (typeof file === "string")
        return file;
      if (Array.isArray(file))
        return liquid.renderer.renderTemplates(file, ctx);
      return yield evalToken(file, ctx);
    }
    var IncludeTag = class extends Tag {
      constructor(token, remainTokens, liquid, parser) {
        super(token, remainTokens, liquid);
        const { tokenizer } = token;
        this.file = parseFilePath(tokenizer, this.liquid, parser);
        this.currentFile = token.file;
        const begin = tokenizer.p;
        const withStr = tokenizer.readIdentifier();
        if (withStr.content === "with") {
          tokenizer.skipBlank();
          if (tokenizer.peek() !== ":") {
            this.withVar = tokenizer.readValue();
          } else
            tokenizer.p = begin;
        } else
          tokenizer.p = begin;
        this.hash = new Hash(tokenizer, liquid.options.jekyllInclude || liquid.options.keyValueSeparator);
      }
      *render(ctx, emitter) {
        const { liquid, hash, withVar } = this;
        const { renderer } = liquid;
        const filepath = yield renderFilePath(this.file, ctx, liquid);
        assert4(filepath, () => `illegal file path "${filepath}"`);
        const saved = ctx.saveRegister("blocks", "blockMode");
        ctx.setRegister("blocks", {});
        ctx.setRegister("blockMode", BlockMode.OUTPUT);
        const scope = createScope(yield hash.render(ctx));
        if (withVar)
          scope[filepath] = yield evalToken(withVar, ctx);
        const templates = yield liquid._parsePartialFile(filepath, ctx.sync, this.currentFile);
        ctx.push(ctx.opts.jekyllInclude ? createScope({ include: scope }) : scope);
        yield renderer.renderTemplates(templates, ctx, emitter);
        ctx.pop();
        ctx.restoreRegister(saved);
      }
      *children(partials, sync) {
        if (partials && isString(this.file)) {
          return yield this.liquid._parsePartialFile(this.file, sync, this.currentFile);
        }
        return [];
      }
      partialScope() {
        if (isString(this.file)) {
          let names;
          if (this.liquid.options.jekyllInclude) {
            names = ["include"];
          } else {
            names = Object.keys(this.hash.hash);
            if (this.withVar) {
              names.push([this.file, this.withVar]);
            }
          }
          return { name: this.file, isolated: false, scope: names };
        }
      }
      *arguments() {
        yield* Object.values(this.hash.hash).filter(isValueToken);
        if (isValueToken(this.file)) {
          yield this.file;
        }
        if (isValueToken(this.withVar)) {
          yield this.withVar;
        }
      }
    };
    var DecrementTag = class extends Tag {
      constructor(token, remainTokens, liquid) {
        super(token, remainTokens, liquid);
        this.identifier = this.tokenizer.readIdentifier();
        this.variable = this.identifier.content;
      }
      render(context, emitter) {
        const scope = context.environments;
        if (!isNumber(scope[this.variable])) {
          scope[this.variable] = 0;
        }
        emitter.write(stringify(--scope[this.variable]));
      }
      *localScope() {
        yield this.identifier;
      }
    };
    var CycleTag = class extends Tag {
      constructor(token, remainTokens, liquid) {
        super(token, remainTokens, liquid);
        this.candidates = [];
        const begin = this.tokenizer.p;
        const group = this.tokenizer.readValue();
        this.tokenizer.skipBlank();
        if (group) {
          if (this.tokenizer.peek() === ":") {
            this.group = group;
            this.tokenizer.advance();
          } else
            this.tokenizer.p = begin;
        }
        while (!this.tokenizer.end()) {
          const value = this.tokenizer.readFilteredValue();
          this.candidates.push(value);
          this.tokenizer.readTo(",");
        }
        this.tokenizer.assert(this.candidates.length, () => `empty candidates: "${token.getText()}"`);
      }
      *render(ctx, emitter) {
        const group = yield evalToken(this.group, ctx);
        const fingerprint = `cycle:${group}:` + this.candidates.map((c) => c.getText()).join(",");
        const groups = ctx.getRegister("cycle", {});
        let idx = groups[fingerprint];
        if (idx === void 0) {
          idx = groups[fingerprint] = 0;
        }
        const candidate = new Value(this.candidates[idx], this.liquid);
        idx = (idx + 1) % this.candidates.length;
        groups[fingerprint] = idx;
        let val = yield toValue(yield candidate.value(ctx, false));
        const outputEscape = this.liquid.options.outputEscape;
        if (outputEscape && !candidate.filters[candidate.filters.length - 1]?.raw) {
          val = yield outputEscape.call({ context: ctx, token: this.token, liquid: this.liquid }, val);
        }
        return val;
      }
      *arguments() {
        yield* this.candidates;
        if (this.group) {
          yield this.group;
        }
      }
    };
    var IfTag = class extends Tag {
      constructor(tagToken, remainTokens, liquid, parser) {
        super(tagToken, remainTokens, liquid);
        this.branches = [];
        let p = [];
        parser.parseStream(remainTokens).on("start", () => this.branches.push({
          value: new Value(tagToken.tokenizer.readFilteredValue(), this.liquid),
          templates: p = []
        })).on("tag:elsif", (token) => {
          assert4(!this.elseTemplates, "unexpected elsif after else");
          this.branches.push({
            value: new Value(token.tokenizer.readFilteredValue(), this.liquid),
            templates: p = []
          });
        }).on("tag:else", (tag) => {
          assertEmpty(tag.args);
          assert4(!this.elseTemplates, "duplicated else");
          p = this.elseTemplates = [];
        }).on("tag:endif", function(tag) {
          assertEmpty(tag.args);
          this.stop();
        }).on("template", (tpl) => p.push(tpl)).on("end", () => {
          throw new Error(`tag ${tagToken.getText()} not closed`);
        }).start();
      }
      *render(ctx, emitter) {
        const r = this.liquid.renderer;
        for (const { value, templates } of this.branches) {
          const v2 = yield toValue(yield value.value(ctx, ctx.opts.lenientIf));
          if (isTruthy(v2, ctx)) {
            yield r.renderTemplates(templates, ctx, emitter);
            return;
          }
        }
        yield r.renderTemplates(this.elseTemplates || [], ctx, emitter);
      }
      *children() {
        const templates = this.branches.flatMap((b) => b.templates);
        if (this.elseTemplates) {
          templates.push(...this.elseTemplates);
        }
        return templates;
      }
      arguments() {
        return this.branches.map((b) => b.value);
      }
    };
    var IncrementTag = class extends Tag {
      constructor(token, remainTokens, liquid) {
        super(token, remainTokens, liquid);
        this.identifier = this.tokenizer.readIdentifier();
        this.variable = this.identifier.content;
      }
      render(context, emitter) {
        const scope = context.environments;
        if (!isNumber(scope[this.variable])) {
          scope[this.variable] = 0;
        }
        const val = scope[this.variable];
        scope[this.variable]++;
        emitter.write(stringify(val));
      }
      *localScope() {
        yield this.identifier;
      }
    };
    var LayoutTag = class extends Tag {
      constructor(token, remainTokens, liquid, parser) {
        super(token, remainTokens, liquid);
        this.file = parseFilePath(this.tokenizer, this.liquid, parser);
        this.currentFile = token.file;
        this.args = new Hash(this.tokenizer, liquid.options.keyValueSeparator);
        this.templates = parser.parseTokens(remainTokens);
      }
      *render(ctx, emitter) {
        const { liquid, args, file } = this;
        const { renderer } = liquid;
        if (file === void 0) {
          ctx.setRegister("blockMode", BlockMode.OUTPUT);
          yield renderer.renderTemplates(this.templates, ctx, emitter);
          return;
        }
        const filepath = yield renderFilePath(this.file, ctx, liquid);
        assert4(filepath, () => `illegal file path "${filepath}"`);
        const templates = yield liquid._parseLayoutFile(filepath, ctx.sync, this.currentFile);
        ctx.setRegister("blockMode", BlockMode.STORE);
        const html = yield renderer.renderTemplates(this.templates, ctx);
        const blocks = ctx.getRegister("blocks", {});
        if (blocks[""] === void 0)
          blocks[""] = (parent, emitter2) => emitter2.write(html);
        ctx.setRegister("blockMode", BlockMode.OUTPUT);
        ctx.push(createScope(yield args.render(ctx)));
        yield renderer.renderTemplates(templates, ctx, emitter);
        ctx.pop();
      }
      *children(partials) {
        const templates = this.templates.slice();
        if (partials && isString(this.file)) {
          templates.push(...yield this.liquid._parsePartialFile(this.file, true, this.currentFile));
        }
        return templates;
      }
      *arguments() {
        for (const v2 of Object.values(this.args.hash)) {
          if (isValueToken(v2)) {
            yield v2;
          }
        }
        if (isValueToken(this.file)) {
          yield this.file;
        }
      }
      partialScope() {
        if (isString(this.file)) {
          return { name: this.file, isolated: false, scope: Object.keys(this.args.hash) };
        }
      }
    };
    var BlockTag = class extends Tag {
      constructor(token, remainTokens, liquid, parser) {
        super(token, remainTokens, liquid);
        this.templates = [];
        const match3 = /\w+/.exec(token.args);
        this.block = match3 ? match3[0] : "";
        while (remainTokens.length) {
          const token2 = remainTokens.shift();
          if (isTagToken(token2) && token2.name === "endblock")
            return;
          const template = parser.parseToken(token2, remainTokens);
          this.templates.push(template);
        }
        throw new Error(`tag ${token.getText()} not closed`);
      }
      *render(ctx, emitter) {
        const blockRender = this.getBlockRender(ctx);
        if (ctx.getRegister("blockMode") === BlockMode.STORE) {
          ctx.getRegister("blocks", {})[this.block] = blockRender;
        } else {
          yield blockRender(new BlockDrop(), emitter);
        }
      }
      getBlockRender(ctx) {
        const self = this;
        const { liquid, templates } = this;
        const renderChild = ctx.getRegister("blocks", {})[this.block];
        const renderCurrent = function* (superBlock, emitter) {
          const stack = ctx.getRegister("blockStack", []);
          if (stack.includes(self))
            throw new Error("block tag cannot be nested");
          stack.push(self);
          ctx.push(createScope({ block: superBlock }));
          yield liquid.renderer.renderTemplates(templates, ctx, emitter);
          ctx.pop();
          stack.pop();
        };
        return renderChild ? (superBlock, emitter) => renderChild(new BlockDrop((emitter2) => renderCurrent(superBlock, emitter2)), emitter) : renderCurrent;
      }
      *children() {
        return this.templates;
      }
      blockScope() {
        return ["block"];
      }
    };
    var RawTag = class extends Tag {
      constructor(tagToken, remainTokens, liquid) {
        super(tagToken, remainTokens, liquid);
        this.tokens = [];
        while (remainTokens.length) {
          const token = remainTokens.shift();
          if (isTagToken(token) && token.name === "endraw")
            return;
          this.tokens.push(token);
        }
        throw new Error(`tag ${tagToken.getText()} not closed`);
      }
      render() {
        return this.tokens.map((token) => token.getText()).join("");
      }
    };
    var TablerowloopDrop = class extends ForloopDrop {
      constructor(length, cols, collection, variable) {
        super(length, collection, variable);
        this.length = length;
        this.cols = cols;
      }
      row() {
        return Math.floor(this.i / this.cols) + 1;
      }
      col0() {
        return this.i % this.cols;
      }
      col() {
        return this.col0() + 1;
      }
      col_first() {
        return this.col0() === 0;
      }
      col_last() {
        return this.col() === this.cols;
      }
    };
    var TablerowTag = class extends Tag {
      constructor(tagToken, remainTokens, liquid, parser) {
        super(tagToken, remainTokens, liquid);
        const variable = this.tokenizer.readIdentifier();
        this.tokenizer.skipBlank();
        const predicate = this.tokenizer.readIdentifier();
        const collectionToken = this.tokenizer.readValue();
        if (predicate.content !== "in" || !collectionToken) {
          throw new Error(`illegal tag: ${tagToken.getText()}`);
        }
        this.variable = variable.content;
        this.collection = collectionToken;
        this.args = new Hash(this.tokenizer, liquid.options.keyValueSeparator);
        this.templates = [];
        let p;
        const stream2 = parser.parseStream(remainTokens).on("start", () => p = this.templates).on("tag:endtablerow", () => stream2.stop()).on("template", (tpl) => p.push(tpl)).on("end", () => {
          throw new Error(`tag ${tagToken.getText()} not closed`);
        });
        stream2.start();
      }
      *render(ctx, emitter) {
        let collection = toEnumerable(yield evalToken(this.collection, ctx));
        const args = yield this.args.render(ctx);
        const offset2 = args.offset || 0;
        const limit2 = args.limit === void 0 ? collection.length : args.limit;
        collection = collection.slice(offset2, offset2 + limit2);
        const cols = args.cols || collection.length;
        const r = this.liquid.renderer;
        const tablerowloop = new TablerowloopDrop(collection.length, cols, this.collection.getText(), this.variable);
        const scope = createScope({ tablerowloop });
        ctx.push(scope);
        for (let idx = 0; idx < collection.length; idx++, tablerowloop.next()) {
          scope[this.variable] = collection[idx];
          if (tablerowloop.col0() === 0) {
            if (tablerowloop.row() !== 1)
              emitter.write("</tr>");
            emitter.write(`<tr class="row${tablerowloop.row()}">`);
          }
          emitter.write(`<td class="col${tablerowloop.col()}">`);
          yield r.renderTemplates(this.templates, ctx, emitter);
          emitter.write("</td>");
        }
        if (collection.length)
          emitter.write("</tr>");
        ctx.pop();
      }
      *children() {
        return this.templates;
      }
      *arguments() {
        yield this.collection;
        for (const v2 of Object.values(this.args.hash)) {
          if (isValueToken(v2)) {
            yield v2;
          }
        }
      }
      blockScope() {
        return [this.variable, "tablerowloop"];
      }
    };
    var UnlessTag = class extends Tag {
      constructor(tagToken, remainTokens, liquid, parser) {
        super(tagToken, remainTokens, liquid);
        this.branches = [];
        this.elseTemplates = [];
        let p = [];
        let elseCount = 0;
        parser.parseStream(remainTokens).on("start", () => this.branches.push({
          value: new Value(tagToken.tokenizer.readFilteredValue(), this.liquid),
          test: isFalsy,
          templates: p = []
        })).on("tag:elsif", (token) => {
          if (elseCount > 0) {
            p = [];
            return;
          }
          this.branches.push({
            value: new Value(token.tokenizer.readFilteredValue(), this.liquid),
            test: isTruthy,
            templates: p = []
          });
        }).on("tag:else", () => {
          elseCount++;
          p = this.elseTemplates;
        }).on("tag:endunless", function() {
          this.stop();
        }).on("template", (tpl) => {
          if (p !== this.elseTemplates || elseCount === 1) {
            p.push(tpl);
          }
        }).on("end", () => {
          throw new Error(`tag ${tagToken.getText()} not closed`);
        }).start();
      }
      *render(ctx, emitter) {
        const r = this.liquid.renderer;
        for (const { value, test, templates } of this.branches) {
          const v2 = yield toValue(yield value.value(ctx, ctx.opts.lenientIf));
          if (test(v2, ctx)) {
            yield r.renderTemplates(templates, ctx, emitter);
            return;
          }
        }
        yield r.renderTemplates(this.elseTemplates, ctx, emitter);
      }
      *children() {
        const children = this.branches.flatMap((b) => b.templates);
        if (this.elseTemplates) {
          children.push(...this.elseTemplates);
        }
        return children;
      }
      arguments() {
        return this.branches.map((b) => b.value);
      }
    };
    var BreakTag = class extends Tag {
      render(ctx, _emitter) {
        ctx.breakCalled = true;
      }
    };
    var ContinueTag = class extends Tag {
      render(ctx, _emitter) {
        ctx.continueCalled = true;
      }
    };
    var EchoTag = class extends Tag {
      constructor(token, remainTokens, liquid) {
        super(token, remainTokens, liquid);
        this.tokenizer.skipBlank();
        if (!this.tokenizer.end()) {
          this.value = new Value(this.tokenizer.readFilteredValue(), this.liquid);
        }
      }
      *render(ctx, emitter) {
        if (!this.value)
          return;
        let val = yield toValue(yield this.value.value(ctx, false));
        const outputEscape = this.liquid.options.outputEscape;
        if (outputEscape && !this.value.filters[this.value.filters.length - 1]?.raw) {
          val = yield outputEscape.call({ context: ctx, token: this.token, liquid: this.liquid }, val);
        }
        emitter.write(val);
      }
      *arguments() {
        if (this.value) {
          yield this.value;
        }
      }
    };
    var LiquidTag = class extends Tag {
      constructor(token, remainTokens, liquid, parser) {
        super(token, remainTokens, liquid);
        const tokens = this.tokenizer.readLiquidTagTokens(this.liquid.options);
        this.templates = parser.parseTokens(tokens);
      }
      *render(ctx, emitter) {
        yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
      }
      *children() {
        return this.templates;
      }
    };
    var InlineCommentTag = class extends Tag {
      constructor(tagToken, remainTokens, liquid) {
        super(tagToken, remainTokens, liquid);
        if (tagToken.args.search(/\n\s*[^#\s]/g) !== -1) {
          throw new Error("every line of an inline comment must start with a '#' character");
        }
      }
      render() {
      }
    };
    var tags = {
      assign: AssignTag,
      "for": ForTag,
      capture: CaptureTag2,
      "case": CaseTag,
      comment: CommentTag,
      include: IncludeTag,
      render: RenderTag,
      decrement: DecrementTag,
      increment: IncrementTag,
      cycle: CycleTag,
      "if": IfTag,
      layout: LayoutTag,
      block: BlockTag,
      raw: RawTag,
      tablerow: TablerowTag,
      unless: UnlessTag,
      "break": BreakTag,
      "continue": ContinueTag,
      echo: EchoTag,
      liquid: LiquidTag,
      "#": InlineCommentTag
    };
    var Liquid2 = class _Liquid {
      constructor(opts = {}) {
        this.renderer = new Render();
        this.filters = /* @__PURE__ */ Object.create(null);
        this.tags = /* @__PURE__ */ Object.create(null);
        this.options = normalize(opts);
        this.parser = new Parser(this);
        forOwn(tags, (conf, name) => this.registerTag(name, conf));
        forOwn(filters, (handler, name) => this.registerFilter(name, handler));
      }
      parse(html, filepath) {
        const parser = new Parser(this);
        return parser.parse(html, filepath);
      }
      _render(tpl, scope, renderOptions) {
        const ctx = scope instanceof Context2 ? scope : new Context2(scope, this.options, renderOptions, { liquid: this });
        return this.renderer.renderTemplates(tpl, ctx);
      }
      async render(tpl, scope, renderOptions) {
        return toPromise2(this._render(tpl, scope, { ...renderOptions, sync: false }));
      }
      renderSync(tpl, scope, renderOptions) {
        return toValueSync(this._render(tpl, scope, { ...renderOptions, sync: true }));
      }
      renderToNodeStream(tpl, scope, renderOptions = {}) {
        const ctx = new Context2(scope, this.options, renderOptions, { liquid: this });
        return this.renderer.renderTemplatesToNodeStream(tpl, ctx);
      }
      _parseAndRender(html, scope, renderOptions) {
        const tpl = this.parse(html);
        return this._render(tpl, scope, renderOptions);
      }
      async parseAndRender(html, scope, renderOptions) {
        return toPromise2(this._parseAndRender(html, scope, { ...renderOptions, sync: false }));
      }
      parseAndRenderSync(html, scope, renderOptions) {
        return toValueSync(this._parseAndRender(html, scope, { ...renderOptions, sync: true }));
      }
      _parsePartialFile(file, sync, currentFile) {
        return new Parser(this).parseFile(file, sync, exports.LookupType.Partials, currentFile);
      }
      _parseLayoutFile(file, sync, currentFile) {
        return new Parser(this).parseFile(file, sync, exports.LookupType.Layouts, currentFile);
      }
      _parseFile(file, sync, lookupType, currentFile) {
        return new Parser(this).parseFile(file, sync, lookupType, currentFile);
      }
      async parseFile(file, lookupType) {
        return toPromise2(new Parser(this).parseFile(file, false, lookupType));
      }
      parseFileSync(file, lookupType) {
        return toValueSync(new Parser(this).parseFile(file, true, lookupType));
      }
      *_renderFile(file, ctx, renderFileOptions) {
        const templates = yield this._parseFile(file, renderFileOptions.sync, renderFileOptions.lookupType);
        return yield this._render(templates, ctx, renderFileOptions);
      }
      async renderFile(file, ctx, renderFileOptions) {
        return toPromise2(this._renderFile(file, ctx, { ...renderFileOptions, sync: false }));
      }
      renderFileSync(file, ctx, renderFileOptions) {
        return toValueSync(this._renderFile(file, ctx, { ...renderFileOptions, sync: true }));
      }
      async renderFileToNodeStream(file, scope, renderOptions) {
        const templates = await this.parseFile(file);
        return this.renderToNodeStream(templates, scope, renderOptions);
      }
      _evalValue(str, scope) {
        const value = new Value(str, this);
        const ctx = scope instanceof Context2 ? scope : new Context2(scope, this.options, {}, { liquid: this });
        return value.value(ctx);
      }
      async evalValue(str, scope) {
        return toPromise2(this._evalValue(str, scope));
      }
      evalValueSync(str, scope) {
        return toValueSync(this._evalValue(str, scope));
      }
      registerFilter(name, filter3) {
        this.filters[name] = filter3;
      }
      unregisterFilter(name) {
        delete this.filters[name];
      }
      registerTag(name, tag) {
        this.tags[name] = isFunction(tag) ? tag : createTagClass(tag);
      }
      plugin(plugin) {
        return plugin.call(this, _Liquid);
      }
      express() {
        const self = this;
        let firstCall = true;
        return function(filePath, ctx, callback) {
          if (firstCall) {
            firstCall = false;
            const dirs = normalizeDirectoryList(this.root);
            self.options.root.unshift(...dirs);
            self.options.layouts.unshift(...dirs);
            self.options.partials.unshift(...dirs);
          }
          self.renderFile(filePath, ctx).then((html) => callback(null, html), callback);
        };
      }
      async analyze(template, options = {}) {
        return analyze(template, options);
      }
      analyzeSync(template, options = {}) {
        return analyzeSync(template, options);
      }
      async parseAndAnalyze(html, filename, options = {}) {
        return analyze(this.parse(html, filename), options);
      }
      parseAndAnalyzeSync(html, filename, options = {}) {
        return analyzeSync(this.parse(html, filename), options);
      }
      /** Return an array of all variables without their properties. */
      async variables(template, options = {}) {
        const analysis = await analyze(isString(template) ? this.parse(template) : template, options);
        return Object.keys(analysis.variables);
      }
      /** Return an array of all variables without their properties. */
      variablesSync(template, options = {}) {
        const analysis = analyzeSync(isString(template) ? this.parse(template) : template, options);
        return Object.keys(analysis.variables);
      }
      /** Return an array of all variables including their properties/paths. */
      async fullVariables(template, options = {}) {
        const analysis = await analyze(isString(template) ? this.parse(template) : template, options);
        return Array.from(new Set(Object.values(analysis.variables).flatMap((a) => a.map((v2) => String(v2)))));
      }
      /** Return an array of all variables including their properties/paths. */
      fullVariablesSync(template, options = {}) {
        const analysis = analyzeSync(isString(template) ? this.parse(template) : template, options);
        return Array.from(new Set(Object.values(analysis.variables).flatMap((a) => a.map((v2) => String(v2)))));
      }
      /** Return an array of all variables, each as an array of properties/segments. */
      async variableSegments(template, options = {}) {
        const analysis = await analyze(isString(template) ? this.parse(template) : template, options);
        return Array.from(strictUniq(Object.values(analysis.variables).flatMap((a) => a.map((v2) => v2.toArray()))));
      }
      /** Return an array of all variables, each as an array of properties/segments. */
      variableSegmentsSync(template, options = {}) {
        const analysis = analyzeSync(isString(template) ? this.parse(template) : template, options);
        return Array.from(strictUniq(Object.values(analysis.variables).flatMap((a) => a.map((v2) => v2.toArray()))));
      }
      /** Return an array of all expected context variables without their properties. */
      async globalVariables(template, options = {}) {
        const analysis = await analyze(isString(template) ? this.parse(template) : template, options);
        return Object.keys(analysis.globals);
      }
      /** Return an array of all expected context variables without their properties. */
      globalVariablesSync(template, options = {}) {
        const analysis = analyzeSync(isString(template) ? this.parse(template) : template, options);
        return Object.keys(analysis.globals);
      }
      /** Return an array of all expected context variables including their properties/paths. */
      async globalFullVariables(template, options = {}) {
        const analysis = await analyze(isString(template) ? this.parse(template) : template, options);
        return Array.from(new Set(Object.values(analysis.globals).flatMap((a) => a.map((v2) => String(v2)))));
      }
      /** Return an array of all expected context variables including their properties/paths. */
      globalFullVariablesSync(template, options = {}) {
        const analysis = analyzeSync(isString(template) ? this.parse(template) : template, options);
        return Array.from(new Set(Object.values(analysis.globals).flatMap((a) => a.map((v2) => String(v2)))));
      }
      /** Return an array of all expected context variables, each as an array of properties/segments. */
      async globalVariableSegments(template, options = {}) {
        const analysis = await analyze(isString(template) ? this.parse(template) : template, options);
        return Array.from(strictUniq(Object.values(analysis.globals).flatMap((a) => a.map((v2) => v2.toArray()))));
      }
      /** Return an array of all expected context variables, each as an array of properties/segments. */
      globalVariableSegmentsSync(template, options = {}) {
        const analysis = analyzeSync(isString(template) ? this.parse(template) : template, options);
        return Array.from(strictUniq(Object.values(analysis.globals).flatMap((a) => a.map((v2) => v2.toArray()))));
      }
    };
    var version = "10.30.1";
    exports.AssertionError = AssertionError;
    exports.AssignTag = AssignTag;
    exports.BlockTag = BlockTag;
    exports.BreakTag = BreakTag;
    exports.CaptureTag = CaptureTag2;
    exports.CaseTag = CaseTag;
    exports.CommentTag = CommentTag;
    exports.Context = Context2;
    exports.ContinueTag = ContinueTag;
    exports.CycleTag = CycleTag;
    exports.DecrementTag = DecrementTag;
    exports.Drop = Drop;
    exports.EchoTag = EchoTag;
    exports.Expression = Expression;
    exports.Filter = Filter;
    exports.ForTag = ForTag;
    exports.Hash = Hash;
    exports.IfTag = IfTag;
    exports.IncludeTag = IncludeTag;
    exports.IncrementTag = IncrementTag;
    exports.InlineCommentTag = InlineCommentTag;
    exports.LayoutTag = LayoutTag;
    exports.Liquid = Liquid2;
    exports.LiquidError = LiquidError2;
    exports.LiquidTag = LiquidTag;
    exports.Output = Output;
    exports.ParseError = ParseError;
    exports.ParseStream = ParseStream;
    exports.Parser = Parser;
    exports.RawTag = RawTag;
    exports.RenderError = RenderError;
    exports.RenderTag = RenderTag;
    exports.TablerowTag = TablerowTag;
    exports.Tag = Tag;
    exports.TagToken = TagToken;
    exports.Token = Token;
    exports.TokenizationError = TokenizationError;
    exports.Tokenizer = Tokenizer;
    exports.TypeGuards = typeGuards;
    exports.UndefinedVariableError = UndefinedVariableError;
    exports.UnlessTag = UnlessTag;
    exports.Value = Value;
    exports.Variable = Variable;
    exports.analyze = analyze;
    exports.analyzeSync = analyzeSync;
    exports.assert = assert4;
    exports.createTrie = createTrie;
    exports.defaultOperators = defaultOperators;
    exports.defaultOptions = defaultOptions;
    exports.evalQuotedToken = evalQuotedToken;
    exports.evalToken = evalToken;
    exports.evalTokenValue = evalTokenValue;
    exports.filters = filters;
    exports.isFalsy = isFalsy;
    exports.isTruthy = isTruthy;
    exports.tags = tags;
    exports.toPromise = toPromise2;
    exports.toValue = toValue;
    exports.toValueSync = toValueSync;
    exports.version = version;
  }
});

// node_modules/yaml/dist/nodes/identity.js
var require_identity = __commonJS({
  "node_modules/yaml/dist/nodes/identity.js"(exports) {
    "use strict";
    var ALIAS = /* @__PURE__ */ Symbol.for("yaml.alias");
    var DOC = /* @__PURE__ */ Symbol.for("yaml.document");
    var MAP = /* @__PURE__ */ Symbol.for("yaml.map");
    var PAIR = /* @__PURE__ */ Symbol.for("yaml.pair");
    var SCALAR = /* @__PURE__ */ Symbol.for("yaml.scalar");
    var SEQ = /* @__PURE__ */ Symbol.for("yaml.seq");
    var NODE_TYPE = /* @__PURE__ */ Symbol.for("yaml.node.type");
    var isAlias = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === ALIAS;
    var isDocument = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === DOC;
    var isMap = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === MAP;
    var isPair = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === PAIR;
    var isScalar = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SCALAR;
    var isSeq = (node) => !!node && typeof node === "object" && node[NODE_TYPE] === SEQ;
    function isCollection(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case MAP:
          case SEQ:
            return true;
        }
      return false;
    }
    function isNode(node) {
      if (node && typeof node === "object")
        switch (node[NODE_TYPE]) {
          case ALIAS:
          case MAP:
          case SCALAR:
          case SEQ:
            return true;
        }
      return false;
    }
    var hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;
    exports.ALIAS = ALIAS;
    exports.DOC = DOC;
    exports.MAP = MAP;
    exports.NODE_TYPE = NODE_TYPE;
    exports.PAIR = PAIR;
    exports.SCALAR = SCALAR;
    exports.SEQ = SEQ;
    exports.hasAnchor = hasAnchor;
    exports.isAlias = isAlias;
    exports.isCollection = isCollection;
    exports.isDocument = isDocument;
    exports.isMap = isMap;
    exports.isNode = isNode;
    exports.isPair = isPair;
    exports.isScalar = isScalar;
    exports.isSeq = isSeq;
  }
});

// node_modules/yaml/dist/visit.js
var require_visit = __commonJS({
  "node_modules/yaml/dist/visit.js"(exports) {
    "use strict";
    var identity = require_identity();
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove node");
    function visit(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        visit_(null, node, visitor_, Object.freeze([]));
    }
    visit.BREAK = BREAK;
    visit.SKIP = SKIP;
    visit.REMOVE = REMOVE;
    function visit_(key, node, visitor, path6) {
      const ctrl = callVisitor(key, node, visitor, path6);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path6, ctrl);
        return visit_(key, ctrl, visitor, path6);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path6 = Object.freeze(path6.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = visit_(i, node.items[i], visitor, path6);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path6 = Object.freeze(path6.concat(node));
          const ck = visit_("key", node.key, visitor, path6);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = visit_("value", node.value, visitor, path6);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    async function visitAsync(node, visitor) {
      const visitor_ = initVisitor(visitor);
      if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
          node.contents = null;
      } else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
    }
    visitAsync.BREAK = BREAK;
    visitAsync.SKIP = SKIP;
    visitAsync.REMOVE = REMOVE;
    async function visitAsync_(key, node, visitor, path6) {
      const ctrl = await callVisitor(key, node, visitor, path6);
      if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path6, ctrl);
        return visitAsync_(key, ctrl, visitor, path6);
      }
      if (typeof ctrl !== "symbol") {
        if (identity.isCollection(node)) {
          path6 = Object.freeze(path6.concat(node));
          for (let i = 0; i < node.items.length; ++i) {
            const ci = await visitAsync_(i, node.items[i], visitor, path6);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              node.items.splice(i, 1);
              i -= 1;
            }
          }
        } else if (identity.isPair(node)) {
          path6 = Object.freeze(path6.concat(node));
          const ck = await visitAsync_("key", node.key, visitor, path6);
          if (ck === BREAK)
            return BREAK;
          else if (ck === REMOVE)
            node.key = null;
          const cv = await visitAsync_("value", node.value, visitor, path6);
          if (cv === BREAK)
            return BREAK;
          else if (cv === REMOVE)
            node.value = null;
        }
      }
      return ctrl;
    }
    function initVisitor(visitor) {
      if (typeof visitor === "object" && (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
          Alias: visitor.Node,
          Map: visitor.Node,
          Scalar: visitor.Node,
          Seq: visitor.Node
        }, visitor.Value && {
          Map: visitor.Value,
          Scalar: visitor.Value,
          Seq: visitor.Value
        }, visitor.Collection && {
          Map: visitor.Collection,
          Seq: visitor.Collection
        }, visitor);
      }
      return visitor;
    }
    function callVisitor(key, node, visitor, path6) {
      if (typeof visitor === "function")
        return visitor(key, node, path6);
      if (identity.isMap(node))
        return visitor.Map?.(key, node, path6);
      if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path6);
      if (identity.isPair(node))
        return visitor.Pair?.(key, node, path6);
      if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path6);
      if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path6);
      return void 0;
    }
    function replaceNode(key, path6, node) {
      const parent = path6[path6.length - 1];
      if (identity.isCollection(parent)) {
        parent.items[key] = node;
      } else if (identity.isPair(parent)) {
        if (key === "key")
          parent.key = node;
        else
          parent.value = node;
      } else if (identity.isDocument(parent)) {
        parent.contents = node;
      } else {
        const pt2 = identity.isAlias(parent) ? "alias" : "scalar";
        throw new Error(`Cannot replace node with ${pt2} parent`);
      }
    }
    exports.visit = visit;
    exports.visitAsync = visitAsync;
  }
});

// node_modules/yaml/dist/doc/directives.js
var require_directives = __commonJS({
  "node_modules/yaml/dist/doc/directives.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit = require_visit();
    var escapeChars = {
      "!": "%21",
      ",": "%2C",
      "[": "%5B",
      "]": "%5D",
      "{": "%7B",
      "}": "%7D"
    };
    var escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, (ch) => escapeChars[ch]);
    var Directives = class _Directives {
      constructor(yaml, tags) {
        this.docStart = null;
        this.docEnd = false;
        this.yaml = Object.assign({}, _Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, _Directives.defaultTags, tags);
      }
      clone() {
        const copy = new _Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
      }
      /**
       * During parsing, get a Directives instance for the current document and
       * update the stream state according to the current version's spec.
       */
      atDocument() {
        const res = new _Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
          case "1.1":
            this.atNextDocument = true;
            break;
          case "1.2":
            this.atNextDocument = false;
            this.yaml = {
              explicit: _Directives.defaultYaml.explicit,
              version: "1.2"
            };
            this.tags = Object.assign({}, _Directives.defaultTags);
            break;
        }
        return res;
      }
      /**
       * @param onError - May be called even if the action was successful
       * @returns `true` on success
       */
      add(line, onError) {
        if (this.atNextDocument) {
          this.yaml = { explicit: _Directives.defaultYaml.explicit, version: "1.1" };
          this.tags = Object.assign({}, _Directives.defaultTags);
          this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
          case "%TAG": {
            if (parts.length !== 2) {
              onError(0, "%TAG directive should contain exactly two parts");
              if (parts.length < 2)
                return false;
            }
            const [handle, prefix] = parts;
            this.tags[handle] = prefix;
            return true;
          }
          case "%YAML": {
            this.yaml.explicit = true;
            if (parts.length !== 1) {
              onError(0, "%YAML directive should contain exactly one part");
              return false;
            }
            const [version] = parts;
            if (version === "1.1" || version === "1.2") {
              this.yaml.version = version;
              return true;
            } else {
              const isValid = /^\d+\.\d+$/.test(version);
              onError(6, `Unsupported YAML version ${version}`, isValid);
              return false;
            }
          }
          default:
            onError(0, `Unknown directive ${name}`, true);
            return false;
        }
      }
      /**
       * Resolves a tag, matching handles to those defined in %TAG directives.
       *
       * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
       *   `'!local'` tag, or `null` if unresolvable.
       */
      tagName(source, onError) {
        if (source === "!")
          return "!";
        if (source[0] !== "!") {
          onError(`Not a valid tag: ${source}`);
          return null;
        }
        if (source[1] === "<") {
          const verbatim = source.slice(2, -1);
          if (verbatim === "!" || verbatim === "!!") {
            onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
            return null;
          }
          if (source[source.length - 1] !== ">")
            onError("Verbatim tags must end with a >");
          return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
          onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
          try {
            return prefix + decodeURIComponent(suffix);
          } catch (error2) {
            onError(String(error2));
            return null;
          }
        }
        if (handle === "!")
          return source;
        onError(`Could not resolve tag: ${source}`);
        return null;
      }
      /**
       * Given a fully resolved tag, returns its printable string form,
       * taking into account current tag prefixes and defaults.
       */
      tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
          if (tag.startsWith(prefix))
            return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === "!" ? tag : `!<${tag}>`;
      }
      toString(doc) {
        const lines = this.yaml.explicit ? [`%YAML ${this.yaml.version || "1.2"}`] : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
          const tags = {};
          visit.visit(doc.contents, (_key, node) => {
            if (identity.isNode(node) && node.tag)
              tags[node.tag] = true;
          });
          tagNames = Object.keys(tags);
        } else
          tagNames = [];
        for (const [handle, prefix] of tagEntries) {
          if (handle === "!!" && prefix === "tag:yaml.org,2002:")
            continue;
          if (!doc || tagNames.some((tn) => tn.startsWith(prefix)))
            lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join("\n");
      }
    };
    Directives.defaultYaml = { explicit: false, version: "1.2" };
    Directives.defaultTags = { "!!": "tag:yaml.org,2002:" };
    exports.Directives = Directives;
  }
});

// node_modules/yaml/dist/doc/anchors.js
var require_anchors = __commonJS({
  "node_modules/yaml/dist/doc/anchors.js"(exports) {
    "use strict";
    var identity = require_identity();
    var visit = require_visit();
    function anchorIsValid(anchor) {
      if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
      }
      return true;
    }
    function anchorNames(root) {
      const anchors = /* @__PURE__ */ new Set();
      visit.visit(root, {
        Value(_key, node) {
          if (node.anchor)
            anchors.add(node.anchor);
        }
      });
      return anchors;
    }
    function findNewAnchor(prefix, exclude) {
      for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
          return name;
      }
    }
    function createNodeAnchors(doc, prefix) {
      const aliasObjects = [];
      const sourceObjects = /* @__PURE__ */ new Map();
      let prevAnchors = null;
      return {
        onAnchor: (source) => {
          aliasObjects.push(source);
          prevAnchors ?? (prevAnchors = anchorNames(doc));
          const anchor = findNewAnchor(prefix, prevAnchors);
          prevAnchors.add(anchor);
          return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
          for (const source of aliasObjects) {
            const ref = sourceObjects.get(source);
            if (typeof ref === "object" && ref.anchor && (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
              ref.node.anchor = ref.anchor;
            } else {
              const error2 = new Error("Failed to resolve repeated object (this should not happen)");
              error2.source = source;
              throw error2;
            }
          }
        },
        sourceObjects
      };
    }
    exports.anchorIsValid = anchorIsValid;
    exports.anchorNames = anchorNames;
    exports.createNodeAnchors = createNodeAnchors;
    exports.findNewAnchor = findNewAnchor;
  }
});

// node_modules/yaml/dist/doc/applyReviver.js
var require_applyReviver = __commonJS({
  "node_modules/yaml/dist/doc/applyReviver.js"(exports) {
    "use strict";
    function applyReviver(reviver, obj, key, val) {
      if (val && typeof val === "object") {
        if (Array.isArray(val)) {
          for (let i = 0, len = val.length; i < len; ++i) {
            const v0 = val[i];
            const v1 = applyReviver(reviver, val, String(i), v0);
            if (v1 === void 0)
              delete val[i];
            else if (v1 !== v0)
              val[i] = v1;
          }
        } else if (val instanceof Map) {
          for (const k of Array.from(val.keys())) {
            const v0 = val.get(k);
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              val.delete(k);
            else if (v1 !== v0)
              val.set(k, v1);
          }
        } else if (val instanceof Set) {
          for (const v0 of Array.from(val)) {
            const v1 = applyReviver(reviver, val, v0, v0);
            if (v1 === void 0)
              val.delete(v0);
            else if (v1 !== v0) {
              val.delete(v0);
              val.add(v1);
            }
          }
        } else {
          for (const [k, v0] of Object.entries(val)) {
            const v1 = applyReviver(reviver, val, k, v0);
            if (v1 === void 0)
              delete val[k];
            else if (v1 !== v0)
              val[k] = v1;
          }
        }
      }
      return reviver.call(obj, key, val);
    }
    exports.applyReviver = applyReviver;
  }
});

// node_modules/yaml/dist/nodes/toJS.js
var require_toJS = __commonJS({
  "node_modules/yaml/dist/nodes/toJS.js"(exports) {
    "use strict";
    var identity = require_identity();
    function toJS(value, arg, ctx) {
      if (Array.isArray(value))
        return value.map((v2, i) => toJS(v2, String(i), ctx));
      if (value && typeof value.toJSON === "function") {
        if (!ctx || !identity.hasAnchor(value))
          return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: void 0 };
        ctx.anchors.set(value, data);
        ctx.onCreate = (res2) => {
          data.res = res2;
          delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
          ctx.onCreate(res);
        return res;
      }
      if (typeof value === "bigint" && !ctx?.keep)
        return Number(value);
      return value;
    }
    exports.toJS = toJS;
  }
});

// node_modules/yaml/dist/nodes/Node.js
var require_Node = __commonJS({
  "node_modules/yaml/dist/nodes/Node.js"(exports) {
    "use strict";
    var applyReviver = require_applyReviver();
    var identity = require_identity();
    var toJS = require_toJS();
    var NodeBase = class {
      constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
      }
      /** Create a copy of this node.  */
      clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** A plain JavaScript representation of this node. */
      toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
          throw new TypeError("A document argument is required");
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc,
          keep: true,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, "", ctx);
        if (typeof onAnchor === "function")
          for (const { count, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
    };
    exports.NodeBase = NodeBase;
  }
});

// node_modules/yaml/dist/nodes/Alias.js
var require_Alias = __commonJS({
  "node_modules/yaml/dist/nodes/Alias.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var visit = require_visit();
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var Alias = class extends Node.NodeBase {
      constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, "tag", {
          set() {
            throw new Error("Alias nodes cannot have tags");
          }
        });
      }
      /**
       * Resolve the value of this alias within `doc`, finding the last
       * instance of the `source` anchor before this node.
       */
      resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
          throw new ReferenceError("Alias resolution is disabled");
        let nodes;
        if (ctx?.aliasResolveCache) {
          nodes = ctx.aliasResolveCache;
        } else {
          nodes = [];
          visit.visit(doc, {
            Node: (_key, node) => {
              if (identity.isAlias(node) || identity.hasAnchor(node))
                nodes.push(node);
            }
          });
          if (ctx)
            ctx.aliasResolveCache = nodes;
        }
        let found = void 0;
        for (const node of nodes) {
          if (node === this)
            break;
          if (node.anchor === this.source)
            found = node;
        }
        if (found && ctx) {
          const { anchors: anchors2, doc: doc2, maxAliasCount } = ctx;
          let data = anchors2.get(found);
          if (!data) {
            toJS.toJS(found, null, ctx);
            data = anchors2.get(found);
          }
          if (data?.res === void 0) {
            const msg = "This should not happen: Alias anchor was not resolved?";
            throw new ReferenceError(msg);
          }
          if (maxAliasCount >= 0) {
            data.count += 1;
            if (data.aliasCount === 0)
              data.aliasCount = getAliasCount(doc2, found, anchors2);
            if (data.count * data.aliasCount > maxAliasCount) {
              const msg = "Excessive alias count indicates a resource exhaustion attack";
              throw new ReferenceError(msg);
            }
          }
        }
        return found;
      }
      toJSON(_arg, ctx) {
        if (!ctx)
          return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
          const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
          throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
      }
      toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
          anchors.anchorIsValid(this.source);
          if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new Error(msg);
          }
          if (ctx.implicitKey)
            return `${src} `;
        }
        return src;
      }
    };
    function getAliasCount(doc, node, anchors2) {
      if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors2 && source && anchors2.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
      } else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
          const c = getAliasCount(doc, item, anchors2);
          if (c > count)
            count = c;
        }
        return count;
      } else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors2);
        const vc = getAliasCount(doc, node.value, anchors2);
        return Math.max(kc, vc);
      }
      return 1;
    }
    exports.Alias = Alias;
  }
});

// node_modules/yaml/dist/nodes/Scalar.js
var require_Scalar = __commonJS({
  "node_modules/yaml/dist/nodes/Scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Node = require_Node();
    var toJS = require_toJS();
    var isScalarValue = (value) => !value || typeof value !== "function" && typeof value !== "object";
    var Scalar = class extends Node.NodeBase {
      constructor(value) {
        super(identity.SCALAR);
        this.value = value;
      }
      toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
      }
      toString() {
        return String(this.value);
      }
    };
    Scalar.BLOCK_FOLDED = "BLOCK_FOLDED";
    Scalar.BLOCK_LITERAL = "BLOCK_LITERAL";
    Scalar.PLAIN = "PLAIN";
    Scalar.QUOTE_DOUBLE = "QUOTE_DOUBLE";
    Scalar.QUOTE_SINGLE = "QUOTE_SINGLE";
    exports.Scalar = Scalar;
    exports.isScalarValue = isScalarValue;
  }
});

// node_modules/yaml/dist/doc/createNode.js
var require_createNode = __commonJS({
  "node_modules/yaml/dist/doc/createNode.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var defaultTagPrefix = "tag:yaml.org,2002:";
    function findTagObject(value, tagName, tags) {
      if (tagName) {
        const match3 = tags.filter((t) => t.tag === tagName);
        const tagObj = match3.find((t) => !t.format) ?? match3[0];
        if (!tagObj)
          throw new Error(`Tag ${tagName} not found`);
        return tagObj;
      }
      return tags.find((t) => t.identify?.(value) && !t.format);
    }
    function createNode(value, tagName, ctx) {
      if (identity.isDocument(value))
        value = value.contents;
      if (identity.isNode(value))
        return value;
      if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
      }
      if (value instanceof String || value instanceof Number || value instanceof Boolean || typeof BigInt !== "undefined" && value instanceof BigInt) {
        value = value.valueOf();
      }
      const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
      let ref = void 0;
      if (aliasDuplicateObjects && value && typeof value === "object") {
        ref = sourceObjects.get(value);
        if (ref) {
          ref.anchor ?? (ref.anchor = onAnchor(value));
          return new Alias.Alias(ref.anchor);
        } else {
          ref = { anchor: null, node: null };
          sourceObjects.set(value, ref);
        }
      }
      if (tagName?.startsWith("!!"))
        tagName = defaultTagPrefix + tagName.slice(2);
      let tagObj = findTagObject(value, tagName, schema.tags);
      if (!tagObj) {
        if (value && typeof value.toJSON === "function") {
          value = value.toJSON();
        }
        if (!value || typeof value !== "object") {
          const node2 = new Scalar.Scalar(value);
          if (ref)
            ref.node = node2;
          return node2;
        }
        tagObj = value instanceof Map ? schema[identity.MAP] : Symbol.iterator in Object(value) ? schema[identity.SEQ] : schema[identity.MAP];
      }
      if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
      }
      const node = tagObj?.createNode ? tagObj.createNode(ctx.schema, value, ctx) : typeof tagObj?.nodeClass?.from === "function" ? tagObj.nodeClass.from(ctx.schema, value, ctx) : new Scalar.Scalar(value);
      if (tagName)
        node.tag = tagName;
      else if (!tagObj.default)
        node.tag = tagObj.tag;
      if (ref)
        ref.node = node;
      return node;
    }
    exports.createNode = createNode;
  }
});

// node_modules/yaml/dist/nodes/Collection.js
var require_Collection = __commonJS({
  "node_modules/yaml/dist/nodes/Collection.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var identity = require_identity();
    var Node = require_Node();
    function collectionFromPath(schema, path6, value) {
      let v2 = value;
      for (let i = path6.length - 1; i >= 0; --i) {
        const k = path6[i];
        if (typeof k === "number" && Number.isInteger(k) && k >= 0) {
          const a = [];
          a[k] = v2;
          v2 = a;
        } else {
          v2 = /* @__PURE__ */ new Map([[k, v2]]);
        }
      }
      return createNode.createNode(v2, void 0, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
          throw new Error("This should not happen, please report a bug.");
        },
        schema,
        sourceObjects: /* @__PURE__ */ new Map()
      });
    }
    var isEmptyPath = (path6) => path6 == null || typeof path6 === "object" && !!path6[Symbol.iterator]().next().done;
    var Collection = class extends Node.NodeBase {
      constructor(type, schema) {
        super(type);
        Object.defineProperty(this, "schema", {
          value: schema,
          configurable: true,
          enumerable: false,
          writable: true
        });
      }
      /**
       * Create a copy of this collection.
       *
       * @param schema - If defined, overwrites the original's schema
       */
      clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
          copy.schema = schema;
        copy.items = copy.items.map((it2) => identity.isNode(it2) || identity.isPair(it2) ? it2.clone(schema) : it2);
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /**
       * Adds a value to the collection. For `!!map` and `!!omap` the value must
       * be a Pair instance or a `{ key, value }` object, which may not have a key
       * that already exists in the map.
       */
      addIn(path6, value) {
        if (isEmptyPath(path6))
          this.add(value);
        else {
          const [key, ...rest] = path6;
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.addIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
      /**
       * Removes a value from the collection.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path6) {
        const [key, ...rest] = path6;
        if (rest.length === 0)
          return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
          return node.deleteIn(rest);
        else
          throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path6, keepScalar) {
        const [key, ...rest] = path6;
        const node = this.get(key, true);
        if (rest.length === 0)
          return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
          return identity.isCollection(node) ? node.getIn(rest, keepScalar) : void 0;
      }
      hasAllNullValues(allowScalar) {
        return this.items.every((node) => {
          if (!identity.isPair(node))
            return false;
          const n = node.value;
          return n == null || allowScalar && identity.isScalar(n) && n.value == null && !n.commentBefore && !n.comment && !n.tag;
        });
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       */
      hasIn(path6) {
        const [key, ...rest] = path6;
        if (rest.length === 0)
          return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path6, value) {
        const [key, ...rest] = path6;
        if (rest.length === 0) {
          this.set(key, value);
        } else {
          const node = this.get(key, true);
          if (identity.isCollection(node))
            node.setIn(rest, value);
          else if (node === void 0 && this.schema)
            this.set(key, collectionFromPath(this.schema, rest, value));
          else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
      }
    };
    exports.Collection = Collection;
    exports.collectionFromPath = collectionFromPath;
    exports.isEmptyPath = isEmptyPath;
  }
});

// node_modules/yaml/dist/stringify/stringifyComment.js
var require_stringifyComment = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyComment.js"(exports) {
    "use strict";
    var stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, "#");
    function indentComment(comment, indent) {
      if (/^\n+$/.test(comment))
        return comment.substring(1);
      return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
    }
    var lineComment = (str, indent, comment) => str.endsWith("\n") ? indentComment(comment, indent) : comment.includes("\n") ? "\n" + indentComment(comment, indent) : (str.endsWith(" ") ? "" : " ") + comment;
    exports.indentComment = indentComment;
    exports.lineComment = lineComment;
    exports.stringifyComment = stringifyComment;
  }
});

// node_modules/yaml/dist/stringify/foldFlowLines.js
var require_foldFlowLines = __commonJS({
  "node_modules/yaml/dist/stringify/foldFlowLines.js"(exports) {
    "use strict";
    var FOLD_FLOW = "flow";
    var FOLD_BLOCK = "block";
    var FOLD_QUOTED = "quoted";
    function foldFlowLines(text2, indent, mode = "flow", { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
      if (!lineWidth || lineWidth < 0)
        return text2;
      if (lineWidth < minContentWidth)
        minContentWidth = 0;
      const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
      if (text2.length <= endStep)
        return text2;
      const folds = [];
      const escapedFolds = {};
      let end = lineWidth - indent.length;
      if (typeof indentAtStart === "number") {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
          folds.push(0);
        else
          end = lineWidth - indentAtStart;
      }
      let split = void 0;
      let prev = void 0;
      let overflow = false;
      let i = -1;
      let escStart = -1;
      let escEnd = -1;
      if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text2, i, indent.length);
        if (i !== -1)
          end = i + endStep;
      }
      for (let ch; ch = text2[i += 1]; ) {
        if (mode === FOLD_QUOTED && ch === "\\") {
          escStart = i;
          switch (text2[i + 1]) {
            case "x":
              i += 3;
              break;
            case "u":
              i += 5;
              break;
            case "U":
              i += 9;
              break;
            default:
              i += 1;
          }
          escEnd = i;
        }
        if (ch === "\n") {
          if (mode === FOLD_BLOCK)
            i = consumeMoreIndentedLines(text2, i, indent.length);
          end = i + indent.length + endStep;
          split = void 0;
        } else {
          if (ch === " " && prev && prev !== " " && prev !== "\n" && prev !== "	") {
            const next = text2[i + 1];
            if (next && next !== " " && next !== "\n" && next !== "	")
              split = i;
          }
          if (i >= end) {
            if (split) {
              folds.push(split);
              end = split + endStep;
              split = void 0;
            } else if (mode === FOLD_QUOTED) {
              while (prev === " " || prev === "	") {
                prev = ch;
                ch = text2[i += 1];
                overflow = true;
              }
              const j = i > escEnd + 1 ? i - 2 : escStart - 1;
              if (escapedFolds[j])
                return text2;
              folds.push(j);
              escapedFolds[j] = true;
              end = j + endStep;
              split = void 0;
            } else {
              overflow = true;
            }
          }
        }
        prev = ch;
      }
      if (overflow && onOverflow)
        onOverflow();
      if (folds.length === 0)
        return text2;
      if (onFold)
        onFold();
      let res = text2.slice(0, folds[0]);
      for (let i2 = 0; i2 < folds.length; ++i2) {
        const fold = folds[i2];
        const end2 = folds[i2 + 1] || text2.length;
        if (fold === 0)
          res = `
${indent}${text2.slice(0, end2)}`;
        else {
          if (mode === FOLD_QUOTED && escapedFolds[fold])
            res += `${text2[fold]}\\`;
          res += `
${indent}${text2.slice(fold + 1, end2)}`;
        }
      }
      return res;
    }
    function consumeMoreIndentedLines(text2, i, indent) {
      let end = i;
      let start = i + 1;
      let ch = text2[start];
      while (ch === " " || ch === "	") {
        if (i < start + indent) {
          ch = text2[++i];
        } else {
          do {
            ch = text2[++i];
          } while (ch && ch !== "\n");
          end = i;
          start = i + 1;
          ch = text2[start];
        }
      }
      return end;
    }
    exports.FOLD_BLOCK = FOLD_BLOCK;
    exports.FOLD_FLOW = FOLD_FLOW;
    exports.FOLD_QUOTED = FOLD_QUOTED;
    exports.foldFlowLines = foldFlowLines;
  }
});

// node_modules/yaml/dist/stringify/stringifyString.js
var require_stringifyString = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyString.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var foldFlowLines = require_foldFlowLines();
    var getFoldOptions = (ctx, isBlock) => ({
      indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
      lineWidth: ctx.options.lineWidth,
      minContentWidth: ctx.options.minContentWidth
    });
    var containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
    function lineLengthOverLimit(str, lineWidth, indentLength) {
      if (!lineWidth || lineWidth < 0)
        return false;
      const limit = lineWidth - indentLength;
      const strLen = str.length;
      if (strLen <= limit)
        return false;
      for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === "\n") {
          if (i - start > limit)
            return true;
          start = i + 1;
          if (strLen - start <= limit)
            return false;
        }
      }
      return true;
    }
    function doubleQuotedString(value, ctx) {
      const json = JSON.stringify(value);
      if (ctx.options.doubleQuotedAsJSON)
        return json;
      const { implicitKey } = ctx;
      const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      let str = "";
      let start = 0;
      for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === " " && json[i + 1] === "\\" && json[i + 2] === "n") {
          str += json.slice(start, i) + "\\ ";
          i += 1;
          start = i;
          ch = "\\";
        }
        if (ch === "\\")
          switch (json[i + 1]) {
            case "u":
              {
                str += json.slice(start, i);
                const code = json.substr(i + 2, 4);
                switch (code) {
                  case "0000":
                    str += "\\0";
                    break;
                  case "0007":
                    str += "\\a";
                    break;
                  case "000b":
                    str += "\\v";
                    break;
                  case "001b":
                    str += "\\e";
                    break;
                  case "0085":
                    str += "\\N";
                    break;
                  case "00a0":
                    str += "\\_";
                    break;
                  case "2028":
                    str += "\\L";
                    break;
                  case "2029":
                    str += "\\P";
                    break;
                  default:
                    if (code.substr(0, 2) === "00")
                      str += "\\x" + code.substr(2);
                    else
                      str += json.substr(i, 6);
                }
                i += 5;
                start = i + 1;
              }
              break;
            case "n":
              if (implicitKey || json[i + 2] === '"' || json.length < minMultiLineLength) {
                i += 1;
              } else {
                str += json.slice(start, i) + "\n\n";
                while (json[i + 2] === "\\" && json[i + 3] === "n" && json[i + 4] !== '"') {
                  str += "\n";
                  i += 2;
                }
                str += indent;
                if (json[i + 2] === " ")
                  str += "\\";
                i += 1;
                start = i + 1;
              }
              break;
            default:
              i += 1;
          }
      }
      str = start ? str + json.slice(start) : json;
      return implicitKey ? str : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
    }
    function singleQuotedString(value, ctx) {
      if (ctx.options.singleQuote === false || ctx.implicitKey && value.includes("\n") || /[ \t]\n|\n[ \t]/.test(value))
        return doubleQuotedString(value, ctx);
      const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
      const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&
${indent}`) + "'";
      return ctx.implicitKey ? res : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function quotedString(value, ctx) {
      const { singleQuote } = ctx.options;
      let qs;
      if (singleQuote === false)
        qs = doubleQuotedString;
      else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
          qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
          qs = doubleQuotedString;
        else
          qs = singleQuote ? singleQuotedString : doubleQuotedString;
      }
      return qs(value, ctx);
    }
    var blockEndNewlines;
    try {
      blockEndNewlines = new RegExp("(^|(?<!\n))\n+(?!\n|$)", "g");
    } catch {
      blockEndNewlines = /\n+(?!\n|$)/g;
    }
    function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
      const { blockQuote, commentString, lineWidth } = ctx.options;
      if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
      }
      const indent = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
      const literal = blockQuote === "literal" ? true : blockQuote === "folded" || type === Scalar.Scalar.BLOCK_FOLDED ? false : type === Scalar.Scalar.BLOCK_LITERAL ? true : !lineLengthOverLimit(value, lineWidth, indent.length);
      if (!value)
        return literal ? "|\n" : ">\n";
      let chomp;
      let endStart;
      for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== "\n" && ch !== "	" && ch !== " ")
          break;
      }
      let end = value.substring(endStart);
      const endNlPos = end.indexOf("\n");
      if (endNlPos === -1) {
        chomp = "-";
      } else if (value === end || endNlPos !== end.length - 1) {
        chomp = "+";
        if (onChompKeep)
          onChompKeep();
      } else {
        chomp = "";
      }
      if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === "\n")
          end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
      }
      let startWithSpace = false;
      let startEnd;
      let startNlPos = -1;
      for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === " ")
          startWithSpace = true;
        else if (ch === "\n")
          startNlPos = startEnd;
        else
          break;
      }
      let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
      if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
      }
      const indentSize = indent ? "2" : "1";
      let header = (startWithSpace ? indentSize : "") + chomp;
      if (comment) {
        header += " " + commentString(comment.replace(/ ?[\r\n]+/g, " "));
        if (onComment)
          onComment();
      }
      if (!literal) {
        const foldedValue = value.replace(/\n+/g, "\n$&").replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, "$1$2").replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== "folded" && type !== Scalar.Scalar.BLOCK_FOLDED) {
          foldOptions.onOverflow = () => {
            literalFallback = true;
          };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
          return `>${header}
${indent}${body}`;
      }
      value = value.replace(/\n+/g, `$&${indent}`);
      return `|${header}
${indent}${start}${value}${end}`;
    }
    function plainString(item, ctx, onComment, onChompKeep) {
      const { type, value } = item;
      const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
      if (implicitKey && value.includes("\n") || inFlow && /[[\]{},]/.test(value)) {
        return quotedString(value, ctx);
      }
      if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        return implicitKey || inFlow || !value.includes("\n") ? quotedString(value, ctx) : blockString(item, ctx, onComment, onChompKeep);
      }
      if (!implicitKey && !inFlow && type !== Scalar.Scalar.PLAIN && value.includes("\n")) {
        return blockString(item, ctx, onComment, onChompKeep);
      }
      if (containsDocumentMarker(value)) {
        if (indent === "") {
          ctx.forceBlockIndent = true;
          return blockString(item, ctx, onComment, onChompKeep);
        } else if (implicitKey && indent === indentStep) {
          return quotedString(value, ctx);
        }
      }
      const str = value.replace(/\n+/g, `$&
${indent}`);
      if (actualString) {
        const test = (tag) => tag.default && tag.tag !== "tag:yaml.org,2002:str" && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
          return quotedString(value, ctx);
      }
      return implicitKey ? str : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
    }
    function stringifyString(item, ctx, onComment, onChompKeep) {
      const { implicitKey, inFlow } = ctx;
      const ss = typeof item.value === "string" ? item : Object.assign({}, item, { value: String(item.value) });
      let { type } = item;
      if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
          type = Scalar.Scalar.QUOTE_DOUBLE;
      }
      const _stringify = (_type) => {
        switch (_type) {
          case Scalar.Scalar.BLOCK_FOLDED:
          case Scalar.Scalar.BLOCK_LITERAL:
            return implicitKey || inFlow ? quotedString(ss.value, ctx) : blockString(ss, ctx, onComment, onChompKeep);
          case Scalar.Scalar.QUOTE_DOUBLE:
            return doubleQuotedString(ss.value, ctx);
          case Scalar.Scalar.QUOTE_SINGLE:
            return singleQuotedString(ss.value, ctx);
          case Scalar.Scalar.PLAIN:
            return plainString(ss, ctx, onComment, onChompKeep);
          default:
            return null;
        }
      };
      let res = _stringify(type);
      if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = implicitKey && defaultKeyType || defaultStringType;
        res = _stringify(t);
        if (res === null)
          throw new Error(`Unsupported default string type ${t}`);
      }
      return res;
    }
    exports.stringifyString = stringifyString;
  }
});

// node_modules/yaml/dist/stringify/stringify.js
var require_stringify = __commonJS({
  "node_modules/yaml/dist/stringify/stringify.js"(exports) {
    "use strict";
    var anchors = require_anchors();
    var identity = require_identity();
    var stringifyComment = require_stringifyComment();
    var stringifyString = require_stringifyString();
    function createStringifyContext(doc, options) {
      const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: "PLAIN",
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: "false",
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: "null",
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: "true",
        verifyAliasOrder: true
      }, doc.schema.toStringOptions, options);
      let inFlow;
      switch (opt.collectionStyle) {
        case "block":
          inFlow = false;
          break;
        case "flow":
          inFlow = true;
          break;
        default:
          inFlow = null;
      }
      return {
        anchors: /* @__PURE__ */ new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? " " : "",
        indent: "",
        indentStep: typeof opt.indent === "number" ? " ".repeat(opt.indent) : "  ",
        inFlow,
        options: opt
      };
    }
    function getTagObject(tags, item) {
      if (item.tag) {
        const match3 = tags.filter((t) => t.tag === item.tag);
        if (match3.length > 0)
          return match3.find((t) => t.format === item.format) ?? match3[0];
      }
      let tagObj = void 0;
      let obj;
      if (identity.isScalar(item)) {
        obj = item.value;
        let match3 = tags.filter((t) => t.identify?.(obj));
        if (match3.length > 1) {
          const testMatch = match3.filter((t) => t.test);
          if (testMatch.length > 0)
            match3 = testMatch;
        }
        tagObj = match3.find((t) => t.format === item.format) ?? match3.find((t) => !t.format);
      } else {
        obj = item;
        tagObj = tags.find((t) => t.nodeClass && obj instanceof t.nodeClass);
      }
      if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? "null" : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
      }
      return tagObj;
    }
    function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
      if (!doc.directives)
        return "";
      const props = [];
      const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
      if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
      }
      const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
      if (tag)
        props.push(doc.directives.tagString(tag));
      return props.join(" ");
    }
    function stringify(item, ctx, onComment, onChompKeep) {
      if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
      if (identity.isAlias(item)) {
        if (ctx.doc.directives)
          return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
          throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        } else {
          if (ctx.resolvedAliases)
            ctx.resolvedAliases.add(item);
          else
            ctx.resolvedAliases = /* @__PURE__ */ new Set([item]);
          item = item.resolve(ctx.doc);
        }
      }
      let tagObj = void 0;
      const node = identity.isNode(item) ? item : ctx.doc.createNode(item, { onTagObj: (o) => tagObj = o });
      tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
      const props = stringifyProps(node, tagObj, ctx);
      if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
      const str = typeof tagObj.stringify === "function" ? tagObj.stringify(node, ctx, onComment, onChompKeep) : identity.isScalar(node) ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep) : node.toString(ctx, onComment, onChompKeep);
      if (!props)
        return str;
      return identity.isScalar(node) || str[0] === "{" || str[0] === "[" ? `${props} ${str}` : `${props}
${ctx.indent}${str}`;
    }
    exports.createStringifyContext = createStringifyContext;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/stringify/stringifyPair.js
var require_stringifyPair = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyPair.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
      const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
      let keyComment = identity.isNode(key) && key.comment || null;
      if (simpleKeys) {
        if (keyComment) {
          throw new Error("With simple keys, key nodes cannot have comments");
        }
        if (identity.isCollection(key) || !identity.isNode(key) && typeof key === "object") {
          const msg = "With simple keys, collection cannot be used as a key value";
          throw new Error(msg);
        }
      }
      let explicitKey = !simpleKeys && (!key || keyComment && value == null && !ctx.inFlow || identity.isCollection(key) || (identity.isScalar(key) ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL : typeof key === "object"));
      ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
      });
      let keyCommentDone = false;
      let chompKeep = false;
      let str = stringify.stringify(key, ctx, () => keyCommentDone = true, () => chompKeep = true);
      if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
          throw new Error("With simple keys, single line scalar must not span more than 1024 characters");
        explicitKey = true;
      }
      if (ctx.inFlow) {
        if (allNullValues || value == null) {
          if (keyCommentDone && onComment)
            onComment();
          return str === "" ? "?" : explicitKey ? `? ${str}` : str;
        }
      } else if (allNullValues && !simpleKeys || value == null && explicitKey) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        } else if (chompKeep && onChompKeep)
          onChompKeep();
        return str;
      }
      if (keyCommentDone)
        keyComment = null;
      if (explicitKey) {
        if (keyComment)
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}
${indent}:`;
      } else {
        str = `${str}:`;
        if (keyComment)
          str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
      }
      let vsb, vcb, valueComment;
      if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
      } else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === "object")
          value = doc.createNode(value);
      }
      ctx.implicitKey = false;
      if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
      chompKeep = false;
      if (!indentSeq && indentStep.length >= 2 && !ctx.inFlow && !explicitKey && identity.isSeq(value) && !value.flow && !value.tag && !value.anchor) {
        ctx.indent = ctx.indent.substring(2);
      }
      let valueCommentDone = false;
      const valueStr = stringify.stringify(value, ctx, () => valueCommentDone = true, () => chompKeep = true);
      let ws = " ";
      if (keyComment || vsb || vcb) {
        ws = vsb ? "\n" : "";
        if (vcb) {
          const cs = commentString(vcb);
          ws += `
${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === "" && !ctx.inFlow) {
          if (ws === "\n" && valueComment)
            ws = "\n\n";
        } else {
          ws += `
${ctx.indent}`;
        }
      } else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf("\n");
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
          let hasPropsLine = false;
          if (hasNewline && (vs0 === "&" || vs0 === "!")) {
            let sp0 = valueStr.indexOf(" ");
            if (vs0 === "&" && sp0 !== -1 && sp0 < nl0 && valueStr[sp0 + 1] === "!") {
              sp0 = valueStr.indexOf(" ", sp0 + 1);
            }
            if (sp0 === -1 || nl0 < sp0)
              hasPropsLine = true;
          }
          if (!hasPropsLine)
            ws = `
${ctx.indent}`;
        }
      } else if (valueStr === "" || valueStr[0] === "\n") {
        ws = "";
      }
      str += ws + valueStr;
      if (ctx.inFlow) {
        if (valueCommentDone && onComment)
          onComment();
      } else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
      } else if (chompKeep && onChompKeep) {
        onChompKeep();
      }
      return str;
    }
    exports.stringifyPair = stringifyPair;
  }
});

// node_modules/yaml/dist/log.js
var require_log = __commonJS({
  "node_modules/yaml/dist/log.js"(exports) {
    "use strict";
    var node_process = __require("process");
    function debug2(logLevel, ...messages) {
      if (logLevel === "debug")
        console.log(...messages);
    }
    function warn(logLevel, warning2) {
      if (logLevel === "debug" || logLevel === "warn") {
        if (typeof node_process.emitWarning === "function")
          node_process.emitWarning(warning2);
        else
          console.warn(warning2);
      }
    }
    exports.debug = debug2;
    exports.warn = warn;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/merge.js
var require_merge = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/merge.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var MERGE_KEY = "<<";
    var merge = {
      identify: (value) => value === MERGE_KEY || typeof value === "symbol" && value.description === MERGE_KEY,
      default: "key",
      tag: "tag:yaml.org,2002:merge",
      test: /^<<$/,
      resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
      }),
      stringify: () => MERGE_KEY
    };
    var isMergeKey = (ctx, key) => (merge.identify(key) || identity.isScalar(key) && (!key.type || key.type === Scalar.Scalar.PLAIN) && merge.identify(key.value)) && ctx?.doc.schema.tags.some((tag) => tag.tag === merge.tag && tag.default);
    function addMergeToJSMap(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (identity.isSeq(source))
        for (const it2 of source.items)
          mergeValue(ctx, map, it2);
      else if (Array.isArray(source))
        for (const it2 of source)
          mergeValue(ctx, map, it2);
      else
        mergeValue(ctx, map, source);
    }
    function mergeValue(ctx, map, value) {
      const source = resolveAliasValue(ctx, value);
      if (!identity.isMap(source))
        throw new Error("Merge sources must be maps or map aliases");
      const srcMap = source.toJSON(null, ctx, Map);
      for (const [key, value2] of srcMap) {
        if (map instanceof Map) {
          if (!map.has(key))
            map.set(key, value2);
        } else if (map instanceof Set) {
          map.add(key);
        } else if (!Object.prototype.hasOwnProperty.call(map, key)) {
          Object.defineProperty(map, key, {
            value: value2,
            writable: true,
            enumerable: true,
            configurable: true
          });
        }
      }
      return map;
    }
    function resolveAliasValue(ctx, value) {
      return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
    }
    exports.addMergeToJSMap = addMergeToJSMap;
    exports.isMergeKey = isMergeKey;
    exports.merge = merge;
  }
});

// node_modules/yaml/dist/nodes/addPairToJSMap.js
var require_addPairToJSMap = __commonJS({
  "node_modules/yaml/dist/nodes/addPairToJSMap.js"(exports) {
    "use strict";
    var log = require_log();
    var merge = require_merge();
    var stringify = require_stringify();
    var identity = require_identity();
    var toJS = require_toJS();
    function addPairToJSMap(ctx, map, { key, value }) {
      if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
      else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
      else {
        const jsKey = toJS.toJS(key, "", ctx);
        if (map instanceof Map) {
          map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        } else if (map instanceof Set) {
          map.add(jsKey);
        } else {
          const stringKey = stringifyKey(key, jsKey, ctx);
          const jsValue = toJS.toJS(value, stringKey, ctx);
          if (stringKey in map)
            Object.defineProperty(map, stringKey, {
              value: jsValue,
              writable: true,
              enumerable: true,
              configurable: true
            });
          else
            map[stringKey] = jsValue;
        }
      }
      return map;
    }
    function stringifyKey(key, jsKey, ctx) {
      if (jsKey === null)
        return "";
      if (typeof jsKey !== "object")
        return String(jsKey);
      if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = /* @__PURE__ */ new Set();
        for (const node of ctx.anchors.keys())
          strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
          let jsonStr = JSON.stringify(strKey);
          if (jsonStr.length > 40)
            jsonStr = jsonStr.substring(0, 36) + '..."';
          log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
          ctx.mapKeyWarned = true;
        }
        return strKey;
      }
      return JSON.stringify(jsKey);
    }
    exports.addPairToJSMap = addPairToJSMap;
  }
});

// node_modules/yaml/dist/nodes/Pair.js
var require_Pair = __commonJS({
  "node_modules/yaml/dist/nodes/Pair.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyPair = require_stringifyPair();
    var addPairToJSMap = require_addPairToJSMap();
    var identity = require_identity();
    function createPair(key, value, ctx) {
      const k = createNode.createNode(key, void 0, ctx);
      const v2 = createNode.createNode(value, void 0, ctx);
      return new Pair(k, v2);
    }
    var Pair = class _Pair {
      constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
      }
      clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
          key = key.clone(schema);
        if (identity.isNode(value))
          value = value.clone(schema);
        return new _Pair(key, value);
      }
      toJSON(_2, ctx) {
        const pair = ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
      }
      toString(ctx, onComment, onChompKeep) {
        return ctx?.doc ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep) : JSON.stringify(this);
      }
    };
    exports.Pair = Pair;
    exports.createPair = createPair;
  }
});

// node_modules/yaml/dist/stringify/stringifyCollection.js
var require_stringifyCollection = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyCollection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyCollection(collection, ctx, options) {
      const flow = ctx.inFlow ?? collection.flow;
      const stringify2 = flow ? stringifyFlowCollection : stringifyBlockCollection;
      return stringify2(collection, ctx, options);
    }
    function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
      const { indent, options: { commentString } } = ctx;
      const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
      let chompKeep = false;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment2 = null;
        if (identity.isNode(item)) {
          if (!chompKeep && item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
          if (item.comment)
            comment2 = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (!chompKeep && ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
          }
        }
        chompKeep = false;
        let str2 = stringify.stringify(item, itemCtx, () => comment2 = null, () => chompKeep = true);
        if (comment2)
          str2 += stringifyComment.lineComment(str2, itemIndent, commentString(comment2));
        if (chompKeep && comment2)
          chompKeep = false;
        lines.push(blockItemPrefix + str2);
      }
      let str;
      if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
      } else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
          const line = lines[i];
          str += line ? `
${indent}${line}` : "\n";
        }
      }
      if (comment) {
        str += "\n" + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
          onComment();
      } else if (chompKeep && onChompKeep)
        onChompKeep();
      return str;
    }
    function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
      const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
      itemIndent += indentStep;
      const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
      });
      let reqNewline = false;
      let linesAtValue = 0;
      const lines = [];
      for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
          if (item.spaceBefore)
            lines.push("");
          addCommentBefore(ctx, lines, item.commentBefore, false);
          if (item.comment)
            comment = item.comment;
        } else if (identity.isPair(item)) {
          const ik = identity.isNode(item.key) ? item.key : null;
          if (ik) {
            if (ik.spaceBefore)
              lines.push("");
            addCommentBefore(ctx, lines, ik.commentBefore, false);
            if (ik.comment)
              reqNewline = true;
          }
          const iv = identity.isNode(item.value) ? item.value : null;
          if (iv) {
            if (iv.comment)
              comment = iv.comment;
            if (iv.commentBefore)
              reqNewline = true;
          } else if (item.value == null && ik?.comment) {
            comment = ik.comment;
          }
        }
        if (comment)
          reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => comment = null);
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes("\n"));
        if (i < items.length - 1) {
          str += ",";
        } else if (ctx.options.trailingComma) {
          if (ctx.options.lineWidth > 0) {
            reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) + (str.length + 2) > ctx.options.lineWidth);
          }
          if (reqNewline) {
            str += ",";
          }
        }
        if (comment)
          str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
      }
      const { start, end } = flowChars;
      if (lines.length === 0) {
        return start + end;
      } else {
        if (!reqNewline) {
          const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
          reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
          let str = start;
          for (const line of lines)
            str += line ? `
${indentStep}${indent}${line}` : "\n";
          return `${str}
${indent}${end}`;
        } else {
          return `${start}${fcPadding}${lines.join(" ")}${fcPadding}${end}`;
        }
      }
    }
    function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
      if (comment && chompKeep)
        comment = comment.replace(/^\n+/, "");
      if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart());
      }
    }
    exports.stringifyCollection = stringifyCollection;
  }
});

// node_modules/yaml/dist/nodes/YAMLMap.js
var require_YAMLMap = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLMap.js"(exports) {
    "use strict";
    var stringifyCollection = require_stringifyCollection();
    var addPairToJSMap = require_addPairToJSMap();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    function findPair(items, key) {
      const k = identity.isScalar(key) ? key.value : key;
      for (const it2 of items) {
        if (identity.isPair(it2)) {
          if (it2.key === key || it2.key === k)
            return it2;
          if (identity.isScalar(it2.key) && it2.key.value === k)
            return it2;
        }
      }
      return void 0;
    }
    var YAMLMap = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:map";
      }
      constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
      }
      /**
       * A generic collection parsing method that can be extended
       * to other node classes that inherit from YAMLMap
       */
      static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
          if (typeof replacer === "function")
            value = replacer.call(obj, key, value);
          else if (Array.isArray(replacer) && !replacer.includes(key))
            return;
          if (value !== void 0 || keepUndefined)
            map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
          for (const [key, value] of obj)
            add(key, value);
        } else if (obj && typeof obj === "object") {
          for (const key of Object.keys(obj))
            add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === "function") {
          map.items.sort(schema.sortMapEntries);
        }
        return map;
      }
      /**
       * Adds a value to the collection.
       *
       * @param overwrite - If not set `true`, using a key that is already in the
       *   collection will throw. Otherwise, overwrites the previous value.
       */
      add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
          _pair = pair;
        else if (!pair || typeof pair !== "object" || !("key" in pair)) {
          _pair = new Pair.Pair(pair, pair?.value);
        } else
          _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
          if (!overwrite)
            throw new Error(`Key ${_pair.key} already set`);
          if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
            prev.value.value = _pair.value;
          else
            prev.value = _pair.value;
        } else if (sortEntries) {
          const i = this.items.findIndex((item) => sortEntries(_pair, item) < 0);
          if (i === -1)
            this.items.push(_pair);
          else
            this.items.splice(i, 0, _pair);
        } else {
          this.items.push(_pair);
        }
      }
      delete(key) {
        const it2 = findPair(this.items, key);
        if (!it2)
          return false;
        const del = this.items.splice(this.items.indexOf(it2), 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const it2 = findPair(this.items, key);
        const node = it2?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? void 0;
      }
      has(key) {
        return !!findPair(this.items, key);
      }
      set(key, value) {
        this.add(new Pair.Pair(key, value), true);
      }
      /**
       * @param ctx - Conversion context, originally set in Document#toJS()
       * @param {Class} Type - If set, forces the returned collection type
       * @returns Instance of Type, Map, or Object
       */
      toJSON(_2, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? /* @__PURE__ */ new Map() : {};
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const item of this.items)
          addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        for (const item of this.items) {
          if (!identity.isPair(item))
            throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
          ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "",
          flowChars: { start: "{", end: "}" },
          itemIndent: ctx.indent || "",
          onChompKeep,
          onComment
        });
      }
    };
    exports.YAMLMap = YAMLMap;
    exports.findPair = findPair;
  }
});

// node_modules/yaml/dist/schema/common/map.js
var require_map = __commonJS({
  "node_modules/yaml/dist/schema/common/map.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLMap = require_YAMLMap();
    var map = {
      collection: "map",
      default: true,
      nodeClass: YAMLMap.YAMLMap,
      tag: "tag:yaml.org,2002:map",
      resolve(map2, onError) {
        if (!identity.isMap(map2))
          onError("Expected a mapping for this tag");
        return map2;
      },
      createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
    };
    exports.map = map;
  }
});

// node_modules/yaml/dist/nodes/YAMLSeq.js
var require_YAMLSeq = __commonJS({
  "node_modules/yaml/dist/nodes/YAMLSeq.js"(exports) {
    "use strict";
    var createNode = require_createNode();
    var stringifyCollection = require_stringifyCollection();
    var Collection = require_Collection();
    var identity = require_identity();
    var Scalar = require_Scalar();
    var toJS = require_toJS();
    var YAMLSeq = class extends Collection.Collection {
      static get tagName() {
        return "tag:yaml.org,2002:seq";
      }
      constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
      }
      add(value) {
        this.items.push(value);
      }
      /**
       * Removes a value from the collection.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       *
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
      }
      get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          return void 0;
        const it2 = this.items[idx];
        return !keepScalar && identity.isScalar(it2) ? it2.value : it2;
      }
      /**
       * Checks if the collection includes a value with the key `key`.
       *
       * `key` must contain a representation of an integer for this to succeed.
       * It may be wrapped in a `Scalar`.
       */
      has(key) {
        const idx = asItemIndex(key);
        return typeof idx === "number" && idx < this.items.length;
      }
      /**
       * Sets a value in this collection. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       *
       * If `key` does not contain a representation of an integer, this will throw.
       * It may be wrapped in a `Scalar`.
       */
      set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== "number")
          throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
          prev.value = value;
        else
          this.items[idx] = value;
      }
      toJSON(_2, ctx) {
        const seq = [];
        if (ctx?.onCreate)
          ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
          seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
          blockItemPrefix: "- ",
          flowChars: { start: "[", end: "]" },
          itemIndent: (ctx.indent || "") + "  ",
          onChompKeep,
          onComment
        });
      }
      static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
          let i = 0;
          for (let it2 of obj) {
            if (typeof replacer === "function") {
              const key = obj instanceof Set ? it2 : String(i++);
              it2 = replacer.call(obj, key, it2);
            }
            seq.items.push(createNode.createNode(it2, void 0, ctx));
          }
        }
        return seq;
      }
    };
    function asItemIndex(key) {
      let idx = identity.isScalar(key) ? key.value : key;
      if (idx && typeof idx === "string")
        idx = Number(idx);
      return typeof idx === "number" && Number.isInteger(idx) && idx >= 0 ? idx : null;
    }
    exports.YAMLSeq = YAMLSeq;
  }
});

// node_modules/yaml/dist/schema/common/seq.js
var require_seq = __commonJS({
  "node_modules/yaml/dist/schema/common/seq.js"(exports) {
    "use strict";
    var identity = require_identity();
    var YAMLSeq = require_YAMLSeq();
    var seq = {
      collection: "seq",
      default: true,
      nodeClass: YAMLSeq.YAMLSeq,
      tag: "tag:yaml.org,2002:seq",
      resolve(seq2, onError) {
        if (!identity.isSeq(seq2))
          onError("Expected a sequence for this tag");
        return seq2;
      },
      createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
    };
    exports.seq = seq;
  }
});

// node_modules/yaml/dist/schema/common/string.js
var require_string = __commonJS({
  "node_modules/yaml/dist/schema/common/string.js"(exports) {
    "use strict";
    var stringifyString = require_stringifyString();
    var string = {
      identify: (value) => typeof value === "string",
      default: true,
      tag: "tag:yaml.org,2002:str",
      resolve: (str) => str,
      stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
      }
    };
    exports.string = string;
  }
});

// node_modules/yaml/dist/schema/common/null.js
var require_null = __commonJS({
  "node_modules/yaml/dist/schema/common/null.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var nullTag = {
      identify: (value) => value == null,
      createNode: () => new Scalar.Scalar(null),
      default: true,
      tag: "tag:yaml.org,2002:null",
      test: /^(?:~|[Nn]ull|NULL)?$/,
      resolve: () => new Scalar.Scalar(null),
      stringify: ({ source }, ctx) => typeof source === "string" && nullTag.test.test(source) ? source : ctx.options.nullStr
    };
    exports.nullTag = nullTag;
  }
});

// node_modules/yaml/dist/schema/core/bool.js
var require_bool = __commonJS({
  "node_modules/yaml/dist/schema/core/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var boolTag = {
      identify: (value) => typeof value === "boolean",
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
      resolve: (str) => new Scalar.Scalar(str[0] === "t" || str[0] === "T"),
      stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
          const sv = source[0] === "t" || source[0] === "T";
          if (value === sv)
            return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
      }
    };
    exports.boolTag = boolTag;
  }
});

// node_modules/yaml/dist/stringify/stringifyNumber.js
var require_stringifyNumber = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyNumber.js"(exports) {
    "use strict";
    function stringifyNumber({ format, minFractionDigits, tag, value }) {
      if (typeof value === "bigint")
        return String(value);
      const num = typeof value === "number" ? value : Number(value);
      if (!isFinite(num))
        return isNaN(num) ? ".nan" : num < 0 ? "-.inf" : ".inf";
      let n = Object.is(value, -0) ? "-0" : JSON.stringify(value);
      if (!format && minFractionDigits && (!tag || tag === "tag:yaml.org,2002:float") && /^-?\d/.test(n) && !n.includes("e")) {
        let i = n.indexOf(".");
        if (i < 0) {
          i = n.length;
          n += ".";
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
          n += "0";
      }
      return n;
    }
    exports.stringifyNumber = stringifyNumber;
  }
});

// node_modules/yaml/dist/schema/core/float.js
var require_float = __commonJS({
  "node_modules/yaml/dist/schema/core/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
      resolve: (str) => parseFloat(str),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
      resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf(".");
        if (dot !== -1 && str[str.length - 1] === "0")
          node.minFractionDigits = str.length - dot - 1;
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/core/int.js
var require_int = __commonJS({
  "node_modules/yaml/dist/schema/core/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    var intResolve = (str, offset, radix, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix);
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
      return stringifyNumber.stringifyNumber(node);
    }
    var intOct = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^0o[0-7]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
      stringify: (node) => intStringify(node, 8, "0o")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: (value) => intIdentify(value) && value >= 0,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^0x[0-9a-fA-F]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/core/schema.js
var require_schema = __commonJS({
  "node_modules/yaml/dist/schema/core/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.boolTag,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/json/schema.js
var require_schema2 = __commonJS({
  "node_modules/yaml/dist/schema/json/schema.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var map = require_map();
    var seq = require_seq();
    function intIdentify(value) {
      return typeof value === "bigint" || Number.isInteger(value);
    }
    var stringifyJSON = ({ value }) => JSON.stringify(value);
    var jsonScalars = [
      {
        identify: (value) => typeof value === "string",
        default: true,
        tag: "tag:yaml.org,2002:str",
        resolve: (str) => str,
        stringify: stringifyJSON
      },
      {
        identify: (value) => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: "tag:yaml.org,2002:null",
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
      },
      {
        identify: (value) => typeof value === "boolean",
        default: true,
        tag: "tag:yaml.org,2002:bool",
        test: /^true$|^false$/,
        resolve: (str) => str === "true",
        stringify: stringifyJSON
      },
      {
        identify: intIdentify,
        default: true,
        tag: "tag:yaml.org,2002:int",
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
      },
      {
        identify: (value) => typeof value === "number",
        default: true,
        tag: "tag:yaml.org,2002:float",
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: (str) => parseFloat(str),
        stringify: stringifyJSON
      }
    ];
    var jsonError = {
      default: true,
      tag: "",
      test: /^/,
      resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
      }
    };
    var schema = [map.map, seq.seq].concat(jsonScalars, jsonError);
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/binary.js
var require_binary = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/binary.js"(exports) {
    "use strict";
    var node_buffer = __require("buffer");
    var Scalar = require_Scalar();
    var stringifyString = require_stringifyString();
    var binary = {
      identify: (value) => value instanceof Uint8Array,
      // Buffer inherits from Uint8Array
      default: false,
      tag: "tag:yaml.org,2002:binary",
      /**
       * Returns a Buffer in node and an Uint8Array in browsers
       *
       * To use the resulting buffer as an image, you'll want to do something like:
       *
       *   const blob = new Blob([buffer], { type: 'image/jpeg' })
       *   document.querySelector('#photo').src = URL.createObjectURL(blob)
       */
      resolve(src, onError) {
        if (typeof node_buffer.Buffer === "function") {
          return node_buffer.Buffer.from(src, "base64");
        } else if (typeof atob === "function") {
          const str = atob(src.replace(/[\n\r]/g, ""));
          const buffer = new Uint8Array(str.length);
          for (let i = 0; i < str.length; ++i)
            buffer[i] = str.charCodeAt(i);
          return buffer;
        } else {
          onError("This environment does not support reading binary tags; either Buffer or atob is required");
          return src;
        }
      },
      stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
          return "";
        const buf = value;
        let str;
        if (typeof node_buffer.Buffer === "function") {
          str = buf instanceof node_buffer.Buffer ? buf.toString("base64") : node_buffer.Buffer.from(buf.buffer).toString("base64");
        } else if (typeof btoa === "function") {
          let s = "";
          for (let i = 0; i < buf.length; ++i)
            s += String.fromCharCode(buf[i]);
          str = btoa(s);
        } else {
          throw new Error("This environment does not support writing binary tags; either Buffer or btoa is required");
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
          const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
          const n = Math.ceil(str.length / lineWidth);
          const lines = new Array(n);
          for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
            lines[i] = str.substr(o, lineWidth);
          }
          str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? "\n" : " ");
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
      }
    };
    exports.binary = binary;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/pairs.js
var require_pairs = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/pairs.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLSeq = require_YAMLSeq();
    function resolvePairs(seq, onError) {
      if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
          let item = seq.items[i];
          if (identity.isPair(item))
            continue;
          else if (identity.isMap(item)) {
            if (item.items.length > 1)
              onError("Each pair must have its own sequence indicator");
            const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
            if (item.commentBefore)
              pair.key.commentBefore = pair.key.commentBefore ? `${item.commentBefore}
${pair.key.commentBefore}` : item.commentBefore;
            if (item.comment) {
              const cn = pair.value ?? pair.key;
              cn.comment = cn.comment ? `${item.comment}
${cn.comment}` : item.comment;
            }
            item = pair;
          }
          seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
      } else
        onError("Expected a sequence for this tag");
      return seq;
    }
    function createPairs(schema, iterable, ctx) {
      const { replacer } = ctx;
      const pairs2 = new YAMLSeq.YAMLSeq(schema);
      pairs2.tag = "tag:yaml.org,2002:pairs";
      let i = 0;
      if (iterable && Symbol.iterator in Object(iterable))
        for (let it2 of iterable) {
          if (typeof replacer === "function")
            it2 = replacer.call(iterable, String(i++), it2);
          let key, value;
          if (Array.isArray(it2)) {
            if (it2.length === 2) {
              key = it2[0];
              value = it2[1];
            } else
              throw new TypeError(`Expected [key, value] tuple: ${it2}`);
          } else if (it2 && it2 instanceof Object) {
            const keys = Object.keys(it2);
            if (keys.length === 1) {
              key = keys[0];
              value = it2[key];
            } else {
              throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
            }
          } else {
            key = it2;
          }
          pairs2.items.push(Pair.createPair(key, value, ctx));
        }
      return pairs2;
    }
    var pairs = {
      collection: "seq",
      default: false,
      tag: "tag:yaml.org,2002:pairs",
      resolve: resolvePairs,
      createNode: createPairs
    };
    exports.createPairs = createPairs;
    exports.pairs = pairs;
    exports.resolvePairs = resolvePairs;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/omap.js
var require_omap = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/omap.js"(exports) {
    "use strict";
    var identity = require_identity();
    var toJS = require_toJS();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var pairs = require_pairs();
    var YAMLOMap = class _YAMLOMap extends YAMLSeq.YAMLSeq {
      constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = _YAMLOMap.tag;
      }
      /**
       * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
       * but TypeScript won't allow widening the signature of a child method.
       */
      toJSON(_2, ctx) {
        if (!ctx)
          return super.toJSON(_2);
        const map = /* @__PURE__ */ new Map();
        if (ctx?.onCreate)
          ctx.onCreate(map);
        for (const pair of this.items) {
          let key, value;
          if (identity.isPair(pair)) {
            key = toJS.toJS(pair.key, "", ctx);
            value = toJS.toJS(pair.value, key, ctx);
          } else {
            key = toJS.toJS(pair, "", ctx);
          }
          if (map.has(key))
            throw new Error("Ordered maps must not include duplicate keys");
          map.set(key, value);
        }
        return map;
      }
      static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap2 = new this();
        omap2.items = pairs$1.items;
        return omap2;
      }
    };
    YAMLOMap.tag = "tag:yaml.org,2002:omap";
    var omap = {
      collection: "seq",
      identify: (value) => value instanceof Map,
      nodeClass: YAMLOMap,
      default: false,
      tag: "tag:yaml.org,2002:omap",
      resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
          if (identity.isScalar(key)) {
            if (seenKeys.includes(key.value)) {
              onError(`Ordered maps must not include duplicate keys: ${key.value}`);
            } else {
              seenKeys.push(key.value);
            }
          }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
      },
      createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
    };
    exports.YAMLOMap = YAMLOMap;
    exports.omap = omap;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/bool.js
var require_bool2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/bool.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function boolStringify({ value, source }, ctx) {
      const boolObj = value ? trueTag : falseTag;
      if (source && boolObj.test.test(source))
        return source;
      return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
    var trueTag = {
      identify: (value) => value === true,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
      resolve: () => new Scalar.Scalar(true),
      stringify: boolStringify
    };
    var falseTag = {
      identify: (value) => value === false,
      default: true,
      tag: "tag:yaml.org,2002:bool",
      test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
      resolve: () => new Scalar.Scalar(false),
      stringify: boolStringify
    };
    exports.falseTag = falseTag;
    exports.trueTag = trueTag;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/float.js
var require_float2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/float.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var stringifyNumber = require_stringifyNumber();
    var floatNaN = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
      resolve: (str) => str.slice(-3).toLowerCase() === "nan" ? NaN : str[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      stringify: stringifyNumber.stringifyNumber
    };
    var floatExp = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "EXP",
      test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
      resolve: (str) => parseFloat(str.replace(/_/g, "")),
      stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
      }
    };
    var float = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
      resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, "")));
        const dot = str.indexOf(".");
        if (dot !== -1) {
          const f = str.substring(dot + 1).replace(/_/g, "");
          if (f[f.length - 1] === "0")
            node.minFractionDigits = f.length;
        }
        return node;
      },
      stringify: stringifyNumber.stringifyNumber
    };
    exports.float = float;
    exports.floatExp = floatExp;
    exports.floatNaN = floatNaN;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/int.js
var require_int2 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/int.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    var intIdentify = (value) => typeof value === "bigint" || Number.isInteger(value);
    function intResolve(str, offset, radix, { intAsBigInt }) {
      const sign = str[0];
      if (sign === "-" || sign === "+")
        offset += 1;
      str = str.substring(offset).replace(/_/g, "");
      if (intAsBigInt) {
        switch (radix) {
          case 2:
            str = `0b${str}`;
            break;
          case 8:
            str = `0o${str}`;
            break;
          case 16:
            str = `0x${str}`;
            break;
        }
        const n2 = BigInt(str);
        return sign === "-" ? BigInt(-1) * n2 : n2;
      }
      const n = parseInt(str, radix);
      return sign === "-" ? -1 * n : n;
    }
    function intStringify(node, radix, prefix) {
      const { value } = node;
      if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? "-" + prefix + str.substr(1) : prefix + str;
      }
      return stringifyNumber.stringifyNumber(node);
    }
    var intBin = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "BIN",
      test: /^[-+]?0b[0-1_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
      stringify: (node) => intStringify(node, 2, "0b")
    };
    var intOct = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "OCT",
      test: /^[-+]?0[0-7_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
      stringify: (node) => intStringify(node, 8, "0")
    };
    var int = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      test: /^[-+]?[0-9][0-9_]*$/,
      resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
      stringify: stringifyNumber.stringifyNumber
    };
    var intHex = {
      identify: intIdentify,
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "HEX",
      test: /^[-+]?0x[0-9a-fA-F_]+$/,
      resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
      stringify: (node) => intStringify(node, 16, "0x")
    };
    exports.int = int;
    exports.intBin = intBin;
    exports.intHex = intHex;
    exports.intOct = intOct;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/set.js
var require_set = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/set.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSet = class _YAMLSet extends YAMLMap.YAMLMap {
      constructor(schema) {
        super(schema);
        this.tag = _YAMLSet.tag;
      }
      add(key) {
        let pair;
        if (identity.isPair(key))
          pair = key;
        else if (key && typeof key === "object" && "key" in key && "value" in key && key.value === null)
          pair = new Pair.Pair(key.key, null);
        else
          pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
          this.items.push(pair);
      }
      /**
       * If `keepPair` is `true`, returns the Pair matching `key`.
       * Otherwise, returns the value of that Pair's key.
       */
      get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair) ? identity.isScalar(pair.key) ? pair.key.value : pair.key : pair;
      }
      set(key, value) {
        if (typeof value !== "boolean")
          throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
          this.items.splice(this.items.indexOf(prev), 1);
        } else if (!prev && value) {
          this.items.push(new Pair.Pair(key));
        }
      }
      toJSON(_2, ctx) {
        return super.toJSON(_2, ctx, Set);
      }
      toString(ctx, onComment, onChompKeep) {
        if (!ctx)
          return JSON.stringify(this);
        if (this.hasAllNullValues(true))
          return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
          throw new Error("Set items must all have null values");
      }
      static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set2 = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
          for (let value of iterable) {
            if (typeof replacer === "function")
              value = replacer.call(iterable, value, value);
            set2.items.push(Pair.createPair(value, null, ctx));
          }
        return set2;
      }
    };
    YAMLSet.tag = "tag:yaml.org,2002:set";
    var set = {
      collection: "map",
      identify: (value) => value instanceof Set,
      nodeClass: YAMLSet,
      default: false,
      tag: "tag:yaml.org,2002:set",
      createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
      resolve(map, onError) {
        if (identity.isMap(map)) {
          if (map.hasAllNullValues(true))
            return Object.assign(new YAMLSet(), map);
          else
            onError("Set items must all have null values");
        } else
          onError("Expected a mapping for this tag");
        return map;
      }
    };
    exports.YAMLSet = YAMLSet;
    exports.set = set;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/timestamp.js
var require_timestamp = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/timestamp.js"(exports) {
    "use strict";
    var stringifyNumber = require_stringifyNumber();
    function parseSexagesimal(str, asBigInt) {
      const sign = str[0];
      const parts = sign === "-" || sign === "+" ? str.substring(1) : str;
      const num = (n) => asBigInt ? BigInt(n) : Number(n);
      const res = parts.replace(/_/g, "").split(":").reduce((res2, p) => res2 * num(60) + num(p), num(0));
      return sign === "-" ? num(-1) * res : res;
    }
    function stringifySexagesimal(node) {
      let { value } = node;
      let num = (n) => n;
      if (typeof value === "bigint")
        num = (n) => BigInt(n);
      else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
      let sign = "";
      if (value < 0) {
        sign = "-";
        value *= num(-1);
      }
      const _60 = num(60);
      const parts = [value % _60];
      if (value < 60) {
        parts.unshift(0);
      } else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60);
        if (value >= 60) {
          value = (value - parts[0]) / _60;
          parts.unshift(value);
        }
      }
      return sign + parts.map((n) => String(n).padStart(2, "0")).join(":").replace(/000000\d*$/, "");
    }
    var intTime = {
      identify: (value) => typeof value === "bigint" || Number.isInteger(value),
      default: true,
      tag: "tag:yaml.org,2002:int",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
      resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
      stringify: stringifySexagesimal
    };
    var floatTime = {
      identify: (value) => typeof value === "number",
      default: true,
      tag: "tag:yaml.org,2002:float",
      format: "TIME",
      test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
      resolve: (str) => parseSexagesimal(str, false),
      stringify: stringifySexagesimal
    };
    var timestamp = {
      identify: (value) => value instanceof Date,
      default: true,
      tag: "tag:yaml.org,2002:timestamp",
      // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
      // may be omitted altogether, resulting in a date format. In such a case, the time part is
      // assumed to be 00:00:00Z (start of day, UTC).
      test: RegExp("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \\t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$"),
      resolve(str) {
        const match3 = str.match(timestamp.test);
        if (!match3)
          throw new Error("!!timestamp expects a date, starting with yyyy-mm-dd");
        const [, year, month, day, hour, minute, second] = match3.map(Number);
        const millisec = match3[7] ? Number((match3[7] + "00").substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match3[8];
        if (tz && tz !== "Z") {
          let d = parseSexagesimal(tz, false);
          if (Math.abs(d) < 30)
            d *= 60;
          date -= 6e4 * d;
        }
        return new Date(date);
      },
      stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, "") ?? ""
    };
    exports.floatTime = floatTime;
    exports.intTime = intTime;
    exports.timestamp = timestamp;
  }
});

// node_modules/yaml/dist/schema/yaml-1.1/schema.js
var require_schema3 = __commonJS({
  "node_modules/yaml/dist/schema/yaml-1.1/schema.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var binary = require_binary();
    var bool = require_bool2();
    var float = require_float2();
    var int = require_int2();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var set = require_set();
    var timestamp = require_timestamp();
    var schema = [
      map.map,
      seq.seq,
      string.string,
      _null.nullTag,
      bool.trueTag,
      bool.falseTag,
      int.intBin,
      int.intOct,
      int.int,
      int.intHex,
      float.floatNaN,
      float.floatExp,
      float.float,
      binary.binary,
      merge.merge,
      omap.omap,
      pairs.pairs,
      set.set,
      timestamp.intTime,
      timestamp.floatTime,
      timestamp.timestamp
    ];
    exports.schema = schema;
  }
});

// node_modules/yaml/dist/schema/tags.js
var require_tags = __commonJS({
  "node_modules/yaml/dist/schema/tags.js"(exports) {
    "use strict";
    var map = require_map();
    var _null = require_null();
    var seq = require_seq();
    var string = require_string();
    var bool = require_bool();
    var float = require_float();
    var int = require_int();
    var schema = require_schema();
    var schema$1 = require_schema2();
    var binary = require_binary();
    var merge = require_merge();
    var omap = require_omap();
    var pairs = require_pairs();
    var schema$2 = require_schema3();
    var set = require_set();
    var timestamp = require_timestamp();
    var schemas = /* @__PURE__ */ new Map([
      ["core", schema.schema],
      ["failsafe", [map.map, seq.seq, string.string]],
      ["json", schema$1.schema],
      ["yaml11", schema$2.schema],
      ["yaml-1.1", schema$2.schema]
    ]);
    var tagsByName = {
      binary: binary.binary,
      bool: bool.boolTag,
      float: float.float,
      floatExp: float.floatExp,
      floatNaN: float.floatNaN,
      floatTime: timestamp.floatTime,
      int: int.int,
      intHex: int.intHex,
      intOct: int.intOct,
      intTime: timestamp.intTime,
      map: map.map,
      merge: merge.merge,
      null: _null.nullTag,
      omap: omap.omap,
      pairs: pairs.pairs,
      seq: seq.seq,
      set: set.set,
      timestamp: timestamp.timestamp
    };
    var coreKnownTags = {
      "tag:yaml.org,2002:binary": binary.binary,
      "tag:yaml.org,2002:merge": merge.merge,
      "tag:yaml.org,2002:omap": omap.omap,
      "tag:yaml.org,2002:pairs": pairs.pairs,
      "tag:yaml.org,2002:set": set.set,
      "tag:yaml.org,2002:timestamp": timestamp.timestamp
    };
    function getTags(customTags, schemaName, addMergeTag) {
      const schemaTags = schemas.get(schemaName);
      if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge) ? schemaTags.concat(merge.merge) : schemaTags.slice();
      }
      let tags = schemaTags;
      if (!tags) {
        if (Array.isArray(customTags))
          tags = [];
        else {
          const keys = Array.from(schemas.keys()).filter((key) => key !== "yaml11").map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
      }
      if (Array.isArray(customTags)) {
        for (const tag of customTags)
          tags = tags.concat(tag);
      } else if (typeof customTags === "function") {
        tags = customTags(tags.slice());
      }
      if (addMergeTag)
        tags = tags.concat(merge.merge);
      return tags.reduce((tags2, tag) => {
        const tagObj = typeof tag === "string" ? tagsByName[tag] : tag;
        if (!tagObj) {
          const tagName = JSON.stringify(tag);
          const keys = Object.keys(tagsByName).map((key) => JSON.stringify(key)).join(", ");
          throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags2.includes(tagObj))
          tags2.push(tagObj);
        return tags2;
      }, []);
    }
    exports.coreKnownTags = coreKnownTags;
    exports.getTags = getTags;
  }
});

// node_modules/yaml/dist/schema/Schema.js
var require_Schema = __commonJS({
  "node_modules/yaml/dist/schema/Schema.js"(exports) {
    "use strict";
    var identity = require_identity();
    var map = require_map();
    var seq = require_seq();
    var string = require_string();
    var tags = require_tags();
    var sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    var Schema = class _Schema {
      constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat) ? tags.getTags(compat, "compat") : compat ? tags.getTags(null, compat) : null;
        this.name = typeof schema === "string" && schema || "core";
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        this.sortMapEntries = typeof sortMapEntries === "function" ? sortMapEntries : sortMapEntries === true ? sortMapEntriesByKey : null;
      }
      clone() {
        const copy = Object.create(_Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
      }
    };
    exports.Schema = Schema;
  }
});

// node_modules/yaml/dist/stringify/stringifyDocument.js
var require_stringifyDocument = __commonJS({
  "node_modules/yaml/dist/stringify/stringifyDocument.js"(exports) {
    "use strict";
    var identity = require_identity();
    var stringify = require_stringify();
    var stringifyComment = require_stringifyComment();
    function stringifyDocument(doc, options) {
      const lines = [];
      let hasDirectives = options.directives === true;
      if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
          lines.push(dir);
          hasDirectives = true;
        } else if (doc.directives.docStart)
          hasDirectives = true;
      }
      if (hasDirectives)
        lines.push("---");
      const ctx = stringify.createStringifyContext(doc, options);
      const { commentString } = ctx.options;
      if (doc.commentBefore) {
        if (lines.length !== 1)
          lines.unshift("");
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ""));
      }
      let chompKeep = false;
      let contentComment = null;
      if (doc.contents) {
        if (identity.isNode(doc.contents)) {
          if (doc.contents.spaceBefore && hasDirectives)
            lines.push("");
          if (doc.contents.commentBefore) {
            const cs = commentString(doc.contents.commentBefore);
            lines.push(stringifyComment.indentComment(cs, ""));
          }
          ctx.forceBlockIndent = !!doc.comment;
          contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? void 0 : () => chompKeep = true;
        let body = stringify.stringify(doc.contents, ctx, () => contentComment = null, onChompKeep);
        if (contentComment)
          body += stringifyComment.lineComment(body, "", commentString(contentComment));
        if ((body[0] === "|" || body[0] === ">") && lines[lines.length - 1] === "---") {
          lines[lines.length - 1] = `--- ${body}`;
        } else
          lines.push(body);
      } else {
        lines.push(stringify.stringify(doc.contents, ctx));
      }
      if (doc.directives?.docEnd) {
        if (doc.comment) {
          const cs = commentString(doc.comment);
          if (cs.includes("\n")) {
            lines.push("...");
            lines.push(stringifyComment.indentComment(cs, ""));
          } else {
            lines.push(`... ${cs}`);
          }
        } else {
          lines.push("...");
        }
      } else {
        let dc = doc.comment;
        if (dc && chompKeep)
          dc = dc.replace(/^\n+/, "");
        if (dc) {
          if ((!chompKeep || contentComment) && lines[lines.length - 1] !== "")
            lines.push("");
          lines.push(stringifyComment.indentComment(commentString(dc), ""));
        }
      }
      return lines.join("\n") + "\n";
    }
    exports.stringifyDocument = stringifyDocument;
  }
});

// node_modules/yaml/dist/doc/Document.js
var require_Document = __commonJS({
  "node_modules/yaml/dist/doc/Document.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var Collection = require_Collection();
    var identity = require_identity();
    var Pair = require_Pair();
    var toJS = require_toJS();
    var Schema = require_Schema();
    var stringifyDocument = require_stringifyDocument();
    var anchors = require_anchors();
    var applyReviver = require_applyReviver();
    var createNode = require_createNode();
    var directives = require_directives();
    var Document = class _Document {
      constructor(value, replacer, options) {
        this.commentBefore = null;
        this.comment = null;
        this.errors = [];
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === "function" || Array.isArray(replacer)) {
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const opt = Object.assign({
          intAsBigInt: false,
          keepSourceTokens: false,
          logLevel: "warn",
          prettyErrors: true,
          strict: true,
          stringKeys: false,
          uniqueKeys: true,
          version: "1.2"
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
          this.directives = options._directives.atDocument();
          if (this.directives.yaml.explicit)
            version = this.directives.yaml.version;
        } else
          this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        this.contents = value === void 0 ? null : this.createNode(value, _replacer, options);
      }
      /**
       * Create a deep copy of this Document and its contents.
       *
       * Custom Node values that inherit from `Object` still refer to their original instances.
       */
      clone() {
        const copy = Object.create(_Document.prototype, {
          [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
          copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        copy.contents = identity.isNode(this.contents) ? this.contents.clone(copy.schema) : this.contents;
        if (this.range)
          copy.range = this.range.slice();
        return copy;
      }
      /** Adds a value to the document. */
      add(value) {
        if (assertCollection(this.contents))
          this.contents.add(value);
      }
      /** Adds a value to the document. */
      addIn(path6, value) {
        if (assertCollection(this.contents))
          this.contents.addIn(path6, value);
      }
      /**
       * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
       *
       * If `node` already has an anchor, `name` is ignored.
       * Otherwise, the `node.anchor` value will be set to `name`,
       * or if an anchor with that name is already present in the document,
       * `name` will be used as a prefix for a new unique anchor.
       * If `name` is undefined, the generated anchor will use 'a' as a prefix.
       */
      createAlias(node, name) {
        if (!node.anchor) {
          const prev = anchors.anchorNames(this);
          node.anchor = // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          !name || prev.has(name) ? anchors.findNewAnchor(name || "a", prev) : name;
        }
        return new Alias.Alias(node.anchor);
      }
      createNode(value, replacer, options) {
        let _replacer = void 0;
        if (typeof replacer === "function") {
          value = replacer.call({ "": value }, "", value);
          _replacer = replacer;
        } else if (Array.isArray(replacer)) {
          const keyToStr = (v2) => typeof v2 === "number" || v2 instanceof String || v2 instanceof Number;
          const asStr = replacer.filter(keyToStr).map(String);
          if (asStr.length > 0)
            replacer = replacer.concat(asStr);
          _replacer = replacer;
        } else if (options === void 0 && replacer) {
          options = replacer;
          replacer = void 0;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(
          this,
          // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
          anchorPrefix || "a"
        );
        const ctx = {
          aliasDuplicateObjects: aliasDuplicateObjects ?? true,
          keepUndefined: keepUndefined ?? false,
          onAnchor,
          onTagObj,
          replacer: _replacer,
          schema: this.schema,
          sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
          node.flow = true;
        setAnchors();
        return node;
      }
      /**
       * Convert a key and a value into a `Pair` using the current schema,
       * recursively wrapping all values as `Scalar` or `Collection` nodes.
       */
      createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v2 = this.createNode(value, null, options);
        return new Pair.Pair(k, v2);
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
      }
      /**
       * Removes a value from the document.
       * @returns `true` if the item was found and removed.
       */
      deleteIn(path6) {
        if (Collection.isEmptyPath(path6)) {
          if (this.contents == null)
            return false;
          this.contents = null;
          return true;
        }
        return assertCollection(this.contents) ? this.contents.deleteIn(path6) : false;
      }
      /**
       * Returns item at `key`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      get(key, keepScalar) {
        return identity.isCollection(this.contents) ? this.contents.get(key, keepScalar) : void 0;
      }
      /**
       * Returns item at `path`, or `undefined` if not found. By default unwraps
       * scalar values from their surrounding node; to disable set `keepScalar` to
       * `true` (collections are always returned intact).
       */
      getIn(path6, keepScalar) {
        if (Collection.isEmptyPath(path6))
          return !keepScalar && identity.isScalar(this.contents) ? this.contents.value : this.contents;
        return identity.isCollection(this.contents) ? this.contents.getIn(path6, keepScalar) : void 0;
      }
      /**
       * Checks if the document includes a value with the key `key`.
       */
      has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
      }
      /**
       * Checks if the document includes a value at `path`.
       */
      hasIn(path6) {
        if (Collection.isEmptyPath(path6))
          return this.contents !== void 0;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path6) : false;
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      set(key, value) {
        if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, [key], value);
        } else if (assertCollection(this.contents)) {
          this.contents.set(key, value);
        }
      }
      /**
       * Sets a value in this document. For `!!set`, `value` needs to be a
       * boolean to add/remove the item from the set.
       */
      setIn(path6, value) {
        if (Collection.isEmptyPath(path6)) {
          this.contents = value;
        } else if (this.contents == null) {
          this.contents = Collection.collectionFromPath(this.schema, Array.from(path6), value);
        } else if (assertCollection(this.contents)) {
          this.contents.setIn(path6, value);
        }
      }
      /**
       * Change the YAML version and schema used by the document.
       * A `null` version disables support for directives, explicit tags, anchors, and aliases.
       * It also requires the `schema` option to be given as a `Schema` instance value.
       *
       * Overrides all previously set schema options.
       */
      setSchema(version, options = {}) {
        if (typeof version === "number")
          version = String(version);
        let opt;
        switch (version) {
          case "1.1":
            if (this.directives)
              this.directives.yaml.version = "1.1";
            else
              this.directives = new directives.Directives({ version: "1.1" });
            opt = { resolveKnownTags: false, schema: "yaml-1.1" };
            break;
          case "1.2":
          case "next":
            if (this.directives)
              this.directives.yaml.version = version;
            else
              this.directives = new directives.Directives({ version });
            opt = { resolveKnownTags: true, schema: "core" };
            break;
          case null:
            if (this.directives)
              delete this.directives;
            opt = null;
            break;
          default: {
            const sv = JSON.stringify(version);
            throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
          }
        }
        if (options.schema instanceof Object)
          this.schema = options.schema;
        else if (opt)
          this.schema = new Schema.Schema(Object.assign(opt, options));
        else
          throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
      }
      // json & jsonArg are only used from toJSON()
      toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
          anchors: /* @__PURE__ */ new Map(),
          doc: this,
          keep: !json,
          mapAsMap: mapAsMap === true,
          mapKeyWarned: false,
          maxAliasCount: typeof maxAliasCount === "number" ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? "", ctx);
        if (typeof onAnchor === "function")
          for (const { count, res: res2 } of ctx.anchors.values())
            onAnchor(res2, count);
        return typeof reviver === "function" ? applyReviver.applyReviver(reviver, { "": res }, "", res) : res;
      }
      /**
       * A JSON representation of the document `contents`.
       *
       * @param jsonArg Used by `JSON.stringify` to indicate the array index or
       *   property name.
       */
      toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
      }
      /** A YAML representation of the document. */
      toString(options = {}) {
        if (this.errors.length > 0)
          throw new Error("Document with errors cannot be stringified");
        if ("indent" in options && (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
          const s = JSON.stringify(options.indent);
          throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
      }
    };
    function assertCollection(contents) {
      if (identity.isCollection(contents))
        return true;
      throw new Error("Expected a YAML collection as document contents");
    }
    exports.Document = Document;
  }
});

// node_modules/yaml/dist/errors.js
var require_errors = __commonJS({
  "node_modules/yaml/dist/errors.js"(exports) {
    "use strict";
    var YAMLError = class extends Error {
      constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
      }
    };
    var YAMLParseError = class extends YAMLError {
      constructor(pos, code, message) {
        super("YAMLParseError", pos, code, message);
      }
    };
    var YAMLWarning = class extends YAMLError {
      constructor(pos, code, message) {
        super("YAMLWarning", pos, code, message);
      }
    };
    var prettifyError = (src, lc) => (error2) => {
      if (error2.pos[0] === -1)
        return;
      error2.linePos = error2.pos.map((pos) => lc.linePos(pos));
      const { line, col } = error2.linePos[0];
      error2.message += ` at line ${line}, column ${col}`;
      let ci = col - 1;
      let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, "");
      if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = "\u2026" + lineStr.substring(trimStart);
        ci -= trimStart - 1;
      }
      if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + "\u2026";
      if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
          prev = prev.substring(0, 79) + "\u2026\n";
        lineStr = prev + lineStr;
      }
      if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error2.linePos[1];
        if (end?.line === line && end.col > col) {
          count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = " ".repeat(ci) + "^".repeat(count);
        error2.message += `:

${lineStr}
${pointer}
`;
      }
    };
    exports.YAMLError = YAMLError;
    exports.YAMLParseError = YAMLParseError;
    exports.YAMLWarning = YAMLWarning;
    exports.prettifyError = prettifyError;
  }
});

// node_modules/yaml/dist/compose/resolve-props.js
var require_resolve_props = __commonJS({
  "node_modules/yaml/dist/compose/resolve-props.js"(exports) {
    "use strict";
    function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
      let spaceBefore = false;
      let atNewline = startOnNewline;
      let hasSpace = startOnNewline;
      let comment = "";
      let commentSep = "";
      let hasNewline = false;
      let reqSpace = false;
      let tab = null;
      let anchor = null;
      let tag = null;
      let newlineAfterProp = null;
      let comma = null;
      let found = null;
      let start = null;
      for (const token of tokens) {
        if (reqSpace) {
          if (token.type !== "space" && token.type !== "newline" && token.type !== "comma")
            onError(token.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
          reqSpace = false;
        }
        if (tab) {
          if (atNewline && token.type !== "comment" && token.type !== "newline") {
            onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
          }
          tab = null;
        }
        switch (token.type) {
          case "space":
            if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token.source.includes("	")) {
              tab = token;
            }
            hasSpace = true;
            break;
          case "comment": {
            if (!hasSpace)
              onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
            const cb = token.source.substring(1) || " ";
            if (!comment)
              comment = cb;
            else
              comment += commentSep + cb;
            commentSep = "";
            atNewline = false;
            break;
          }
          case "newline":
            if (atNewline) {
              if (comment)
                comment += token.source;
              else if (!found || indicator !== "seq-item-ind")
                spaceBefore = true;
            } else
              commentSep += token.source;
            atNewline = true;
            hasNewline = true;
            if (anchor || tag)
              newlineAfterProp = token;
            hasSpace = true;
            break;
          case "anchor":
            if (anchor)
              onError(token, "MULTIPLE_ANCHORS", "A node can have at most one anchor");
            if (token.source.endsWith(":"))
              onError(token.offset + token.source.length - 1, "BAD_ALIAS", "Anchor ending in : is ambiguous", true);
            anchor = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          case "tag": {
            if (tag)
              onError(token, "MULTIPLE_TAGS", "A node can have at most one tag");
            tag = token;
            start ?? (start = token.offset);
            atNewline = false;
            hasSpace = false;
            reqSpace = true;
            break;
          }
          case indicator:
            if (anchor || tag)
              onError(token, "BAD_PROP_ORDER", `Anchors and tags must be after the ${token.source} indicator`);
            if (found)
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.source} in ${flow ?? "collection"}`);
            found = token;
            atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
            hasSpace = false;
            break;
          case "comma":
            if (flow) {
              if (comma)
                onError(token, "UNEXPECTED_TOKEN", `Unexpected , in ${flow}`);
              comma = token;
              atNewline = false;
              hasSpace = false;
              break;
            }
          // else fallthrough
          default:
            onError(token, "UNEXPECTED_TOKEN", `Unexpected ${token.type} token`);
            atNewline = false;
            hasSpace = false;
        }
      }
      const last = tokens[tokens.length - 1];
      const end = last ? last.offset + last.source.length : offset;
      if (reqSpace && next && next.type !== "space" && next.type !== "newline" && next.type !== "comma" && (next.type !== "scalar" || next.source !== "")) {
        onError(next.offset, "MISSING_CHAR", "Tags and anchors must be separated from the next token by white space");
      }
      if (tab && (atNewline && tab.indent <= parentIndent || next?.type === "block-map" || next?.type === "block-seq"))
        onError(tab, "TAB_AS_INDENT", "Tabs are not allowed as indentation");
      return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
      };
    }
    exports.resolveProps = resolveProps;
  }
});

// node_modules/yaml/dist/compose/util-contains-newline.js
var require_util_contains_newline = __commonJS({
  "node_modules/yaml/dist/compose/util-contains-newline.js"(exports) {
    "use strict";
    function containsNewline(key) {
      if (!key)
        return null;
      switch (key.type) {
        case "alias":
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          if (key.source.includes("\n"))
            return true;
          if (key.end) {
            for (const st2 of key.end)
              if (st2.type === "newline")
                return true;
          }
          return false;
        case "flow-collection":
          for (const it2 of key.items) {
            for (const st2 of it2.start)
              if (st2.type === "newline")
                return true;
            if (it2.sep) {
              for (const st2 of it2.sep)
                if (st2.type === "newline")
                  return true;
            }
            if (containsNewline(it2.key) || containsNewline(it2.value))
              return true;
          }
          return false;
        default:
          return true;
      }
    }
    exports.containsNewline = containsNewline;
  }
});

// node_modules/yaml/dist/compose/util-flow-indent-check.js
var require_util_flow_indent_check = __commonJS({
  "node_modules/yaml/dist/compose/util-flow-indent-check.js"(exports) {
    "use strict";
    var utilContainsNewline = require_util_contains_newline();
    function flowIndentCheck(indent, fc, onError) {
      if (fc?.type === "flow-collection") {
        const end = fc.end[0];
        if (end.indent === indent && (end.source === "]" || end.source === "}") && utilContainsNewline.containsNewline(fc)) {
          const msg = "Flow end indicator should be more indented than parent";
          onError(end, "BAD_INDENT", msg, true);
        }
      }
    }
    exports.flowIndentCheck = flowIndentCheck;
  }
});

// node_modules/yaml/dist/compose/util-map-includes.js
var require_util_map_includes = __commonJS({
  "node_modules/yaml/dist/compose/util-map-includes.js"(exports) {
    "use strict";
    var identity = require_identity();
    function mapIncludes(ctx, items, search) {
      const { uniqueKeys } = ctx.options;
      if (uniqueKeys === false)
        return false;
      const isEqual = typeof uniqueKeys === "function" ? uniqueKeys : (a, b) => a === b || identity.isScalar(a) && identity.isScalar(b) && a.value === b.value;
      return items.some((pair) => isEqual(pair.key, search));
    }
    exports.mapIncludes = mapIncludes;
  }
});

// node_modules/yaml/dist/compose/resolve-block-map.js
var require_resolve_block_map = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-map.js"(exports) {
    "use strict";
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    var utilMapIncludes = require_util_map_includes();
    var startColMsg = "All mapping items must start at the same column";
    function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
      const map = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      let offset = bm.offset;
      let commentEnd = null;
      for (const collItem of bm.items) {
        const { start, key, sep: sep6, value } = collItem;
        const keyProps = resolveProps.resolveProps(start, {
          indicator: "explicit-key-ind",
          next: key ?? sep6?.[0],
          offset,
          onError,
          parentIndent: bm.indent,
          startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
          if (key) {
            if (key.type === "block-seq")
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "A block sequence may not be used as an implicit map key");
            else if ("indent" in key && key.indent !== bm.indent)
              onError(offset, "BAD_INDENT", startColMsg);
          }
          if (!keyProps.anchor && !keyProps.tag && !sep6) {
            commentEnd = keyProps.end;
            if (keyProps.comment) {
              if (map.comment)
                map.comment += "\n" + keyProps.comment;
              else
                map.comment = keyProps.comment;
            }
            continue;
          }
          if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
            onError(key ?? start[start.length - 1], "MULTILINE_IMPLICIT_KEY", "Implicit keys need to be on a single line");
          }
        } else if (keyProps.found?.indent !== bm.indent) {
          onError(offset, "BAD_INDENT", startColMsg);
        }
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key ? composeNode(ctx, key, keyProps, onError) : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
          onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
        const valueProps = resolveProps.resolveProps(sep6 ?? [], {
          indicator: "map-value-ind",
          next: value,
          offset: keyNode.range[2],
          onError,
          parentIndent: bm.indent,
          startOnNewline: !key || key.type === "block-scalar"
        });
        offset = valueProps.end;
        if (valueProps.found) {
          if (implicitKey) {
            if (value?.type === "block-map" && !valueProps.hasNewline)
              onError(offset, "BLOCK_AS_IMPLICIT_KEY", "Nested mappings are not allowed in compact mappings");
            if (ctx.options.strict && keyProps.start < valueProps.found.offset - 1024)
              onError(keyNode.range, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit block mapping key");
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : composeEmptyNode(ctx, offset, sep6, null, valueProps, onError);
          if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
          offset = valueNode.range[2];
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        } else {
          if (implicitKey)
            onError(keyNode.range, "MISSING_CHAR", "Implicit map keys need to be followed by map values");
          if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          map.items.push(pair);
        }
      }
      if (commentEnd && commentEnd < offset)
        onError(commentEnd, "IMPOSSIBLE", "Map comment with trailing content");
      map.range = [bm.offset, offset, commentEnd ?? offset];
      return map;
    }
    exports.resolveBlockMap = resolveBlockMap;
  }
});

// node_modules/yaml/dist/compose/resolve-block-seq.js
var require_resolve_block_seq = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-seq.js"(exports) {
    "use strict";
    var YAMLSeq = require_YAMLSeq();
    var resolveProps = require_resolve_props();
    var utilFlowIndentCheck = require_util_flow_indent_check();
    function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
      const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
      const seq = new NodeClass(ctx.schema);
      if (ctx.atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = bs.offset;
      let commentEnd = null;
      for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
          indicator: "seq-item-ind",
          next: value,
          offset,
          onError,
          parentIndent: bs.indent,
          startOnNewline: true
        });
        if (!props.found) {
          if (props.anchor || props.tag || value) {
            if (value?.type === "block-seq")
              onError(props.end, "BAD_INDENT", "All sequence items must start at the same column");
            else
              onError(offset, "MISSING_CHAR", "Sequence item without - indicator");
          } else {
            commentEnd = props.end;
            if (props.comment)
              seq.comment = props.comment;
            continue;
          }
        }
        const node = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
          utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
      }
      seq.range = [bs.offset, offset, commentEnd ?? offset];
      return seq;
    }
    exports.resolveBlockSeq = resolveBlockSeq;
  }
});

// node_modules/yaml/dist/compose/resolve-end.js
var require_resolve_end = __commonJS({
  "node_modules/yaml/dist/compose/resolve-end.js"(exports) {
    "use strict";
    function resolveEnd(end, offset, reqSpace, onError) {
      let comment = "";
      if (end) {
        let hasSpace = false;
        let sep6 = "";
        for (const token of end) {
          const { source, type } = token;
          switch (type) {
            case "space":
              hasSpace = true;
              break;
            case "comment": {
              if (reqSpace && !hasSpace)
                onError(token, "MISSING_CHAR", "Comments must be separated from other tokens by white space characters");
              const cb = source.substring(1) || " ";
              if (!comment)
                comment = cb;
              else
                comment += sep6 + cb;
              sep6 = "";
              break;
            }
            case "newline":
              if (comment)
                sep6 += source;
              hasSpace = true;
              break;
            default:
              onError(token, "UNEXPECTED_TOKEN", `Unexpected ${type} at node end`);
          }
          offset += source.length;
        }
      }
      return { comment, offset };
    }
    exports.resolveEnd = resolveEnd;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-collection.js
var require_resolve_flow_collection = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Pair = require_Pair();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    var utilContainsNewline = require_util_contains_newline();
    var utilMapIncludes = require_util_map_includes();
    var blockMsg = "Block collections are not allowed within flow collections";
    var isBlock = (token) => token && (token.type === "block-map" || token.type === "block-seq");
    function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
      const isMap = fc.start.source === "{";
      const fcName = isMap ? "flow map" : "flow sequence";
      const NodeClass = tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq);
      const coll = new NodeClass(ctx.schema);
      coll.flow = true;
      const atRoot = ctx.atRoot;
      if (atRoot)
        ctx.atRoot = false;
      if (ctx.atKey)
        ctx.atKey = false;
      let offset = fc.offset + fc.start.source.length;
      for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep: sep6, value } = collItem;
        const props = resolveProps.resolveProps(start, {
          flow: fcName,
          indicator: "explicit-key-ind",
          next: key ?? sep6?.[0],
          offset,
          onError,
          parentIndent: fc.indent,
          startOnNewline: false
        });
        if (!props.found) {
          if (!props.anchor && !props.tag && !sep6 && !value) {
            if (i === 0 && props.comma)
              onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
            else if (i < fc.items.length - 1)
              onError(props.start, "UNEXPECTED_TOKEN", `Unexpected empty item in ${fcName}`);
            if (props.comment) {
              if (coll.comment)
                coll.comment += "\n" + props.comment;
              else
                coll.comment = props.comment;
            }
            offset = props.end;
            continue;
          }
          if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
            onError(
              key,
              // checked by containsNewline()
              "MULTILINE_IMPLICIT_KEY",
              "Implicit keys of flow sequence pairs need to be on a single line"
            );
        }
        if (i === 0) {
          if (props.comma)
            onError(props.comma, "UNEXPECTED_TOKEN", `Unexpected , in ${fcName}`);
        } else {
          if (!props.comma)
            onError(props.start, "MISSING_CHAR", `Missing , between ${fcName} items`);
          if (props.comment) {
            let prevItemComment = "";
            loop: for (const st2 of start) {
              switch (st2.type) {
                case "comma":
                case "space":
                  break;
                case "comment":
                  prevItemComment = st2.source.substring(1);
                  break loop;
                default:
                  break loop;
              }
            }
            if (prevItemComment) {
              let prev = coll.items[coll.items.length - 1];
              if (identity.isPair(prev))
                prev = prev.value ?? prev.key;
              if (prev.comment)
                prev.comment += "\n" + prevItemComment;
              else
                prev.comment = prevItemComment;
              props.comment = props.comment.substring(prevItemComment.length + 1);
            }
          }
        }
        if (!isMap && !sep6 && !props.found) {
          const valueNode = value ? composeNode(ctx, value, props, onError) : composeEmptyNode(ctx, props.end, sep6, null, props, onError);
          coll.items.push(valueNode);
          offset = valueNode.range[2];
          if (isBlock(value))
            onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
        } else {
          ctx.atKey = true;
          const keyStart = props.end;
          const keyNode = key ? composeNode(ctx, key, props, onError) : composeEmptyNode(ctx, keyStart, start, null, props, onError);
          if (isBlock(key))
            onError(keyNode.range, "BLOCK_IN_FLOW", blockMsg);
          ctx.atKey = false;
          const valueProps = resolveProps.resolveProps(sep6 ?? [], {
            flow: fcName,
            indicator: "map-value-ind",
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
          });
          if (valueProps.found) {
            if (!isMap && !props.found && ctx.options.strict) {
              if (sep6)
                for (const st2 of sep6) {
                  if (st2 === valueProps.found)
                    break;
                  if (st2.type === "newline") {
                    onError(st2, "MULTILINE_IMPLICIT_KEY", "Implicit keys of flow sequence pairs need to be on a single line");
                    break;
                  }
                }
              if (props.start < valueProps.found.offset - 1024)
                onError(valueProps.found, "KEY_OVER_1024_CHARS", "The : indicator must be at most 1024 chars after the start of an implicit flow sequence key");
            }
          } else if (value) {
            if ("source" in value && value.source?.[0] === ":")
              onError(value, "MISSING_CHAR", `Missing space after : in ${fcName}`);
            else
              onError(valueProps.start, "MISSING_CHAR", `Missing , or : between ${fcName} items`);
          }
          const valueNode = value ? composeNode(ctx, value, valueProps, onError) : valueProps.found ? composeEmptyNode(ctx, valueProps.end, sep6, null, valueProps, onError) : null;
          if (valueNode) {
            if (isBlock(value))
              onError(valueNode.range, "BLOCK_IN_FLOW", blockMsg);
          } else if (valueProps.comment) {
            if (keyNode.comment)
              keyNode.comment += "\n" + valueProps.comment;
            else
              keyNode.comment = valueProps.comment;
          }
          const pair = new Pair.Pair(keyNode, valueNode);
          if (ctx.options.keepSourceTokens)
            pair.srcToken = collItem;
          if (isMap) {
            const map = coll;
            if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
              onError(keyStart, "DUPLICATE_KEY", "Map keys must be unique");
            map.items.push(pair);
          } else {
            const map = new YAMLMap.YAMLMap(ctx.schema);
            map.flow = true;
            map.items.push(pair);
            const endRange = (valueNode ?? keyNode).range;
            map.range = [keyNode.range[0], endRange[1], endRange[2]];
            coll.items.push(map);
          }
          offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
      }
      const expectedEnd = isMap ? "}" : "]";
      const [ce2, ...ee2] = fc.end;
      let cePos = offset;
      if (ce2?.source === expectedEnd)
        cePos = ce2.offset + ce2.source.length;
      else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot ? `${name} must end with a ${expectedEnd}` : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? "MISSING_CHAR" : "BAD_INDENT", msg);
        if (ce2 && ce2.source.length !== 1)
          ee2.unshift(ce2);
      }
      if (ee2.length > 0) {
        const end = resolveEnd.resolveEnd(ee2, cePos, ctx.options.strict, onError);
        if (end.comment) {
          if (coll.comment)
            coll.comment += "\n" + end.comment;
          else
            coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
      } else {
        coll.range = [fc.offset, cePos, cePos];
      }
      return coll;
    }
    exports.resolveFlowCollection = resolveFlowCollection;
  }
});

// node_modules/yaml/dist/compose/compose-collection.js
var require_compose_collection = __commonJS({
  "node_modules/yaml/dist/compose/compose-collection.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var resolveBlockMap = require_resolve_block_map();
    var resolveBlockSeq = require_resolve_block_seq();
    var resolveFlowCollection = require_resolve_flow_collection();
    function resolveCollection(CN, ctx, token, onError, tagName, tag) {
      const coll = token.type === "block-map" ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag) : token.type === "block-seq" ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag) : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
      const Coll = coll.constructor;
      if (tagName === "!" || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
      }
      if (tagName)
        coll.tag = tagName;
      return coll;
    }
    function composeCollection(CN, ctx, token, props, onError) {
      const tagToken = props.tag;
      const tagName = !tagToken ? null : ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg));
      if (token.type === "block-seq") {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken ? anchor.offset > tagToken.offset ? anchor : tagToken : anchor ?? tagToken;
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
          const message = "Missing newline after block sequence props";
          onError(lastProp, "MISSING_CHAR", message);
        }
      }
      const expType = token.type === "block-map" ? "map" : token.type === "block-seq" ? "seq" : token.start.source === "{" ? "map" : "seq";
      if (!tagToken || !tagName || tagName === "!" || tagName === YAMLMap.YAMLMap.tagName && expType === "map" || tagName === YAMLSeq.YAMLSeq.tagName && expType === "seq") {
        return resolveCollection(CN, ctx, token, onError, tagName);
      }
      let tag = ctx.schema.tags.find((t) => t.tag === tagName && t.collection === expType);
      if (!tag) {
        const kt2 = ctx.schema.knownTags[tagName];
        if (kt2?.collection === expType) {
          ctx.schema.tags.push(Object.assign({}, kt2, { default: false }));
          tag = kt2;
        } else {
          if (kt2) {
            onError(tagToken, "BAD_COLLECTION_TYPE", `${kt2.tag} used for ${expType} collection, but expects ${kt2.collection ?? "scalar"}`, true);
          } else {
            onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, true);
          }
          return resolveCollection(CN, ctx, token, onError, tagName);
        }
      }
      const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
      const res = tag.resolve?.(coll, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg), ctx.options) ?? coll;
      const node = identity.isNode(res) ? res : new Scalar.Scalar(res);
      node.range = coll.range;
      node.tag = tagName;
      if (tag?.format)
        node.format = tag.format;
      return node;
    }
    exports.composeCollection = composeCollection;
  }
});

// node_modules/yaml/dist/compose/resolve-block-scalar.js
var require_resolve_block_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-block-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    function resolveBlockScalar(ctx, scalar, onError) {
      const start = scalar.offset;
      const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
      if (!header)
        return { value: "", type: null, comment: "", range: [start, start, start] };
      const type = header.mode === ">" ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
      const lines = scalar.source ? splitLines2(scalar.source) : [];
      let chompStart = lines.length;
      for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === "" || content === "\r")
          chompStart = i;
        else
          break;
      }
      if (chompStart === 0) {
        const value2 = header.chomp === "+" && lines.length > 0 ? "\n".repeat(Math.max(1, lines.length - 1)) : "";
        let end2 = start + header.length;
        if (scalar.source)
          end2 += scalar.source.length;
        return { value: value2, type, comment: header.comment, range: [start, end2, end2] };
      }
      let trimIndent = scalar.indent + header.indent;
      let offset = scalar.offset + header.length;
      let contentStart = 0;
      for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === "" || content === "\r") {
          if (header.indent === 0 && indent.length > trimIndent)
            trimIndent = indent.length;
        } else {
          if (indent.length < trimIndent) {
            const message = "Block scalars with more-indented leading empty lines must use an explicit indentation indicator";
            onError(offset + indent.length, "MISSING_CHAR", message);
          }
          if (header.indent === 0)
            trimIndent = indent.length;
          contentStart = i;
          if (trimIndent === 0 && !ctx.atRoot) {
            const message = "Block scalar values in collections must be indented";
            onError(offset, "BAD_INDENT", message);
          }
          break;
        }
        offset += indent.length + content.length + 1;
      }
      for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
          chompStart = i + 1;
      }
      let value = "";
      let sep6 = "";
      let prevMoreIndented = false;
      for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + "\n";
      for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === "\r";
        if (crlf)
          content = content.slice(0, -1);
        if (content && indent.length < trimIndent) {
          const src = header.indent ? "explicit indentation indicator" : "first line";
          const message = `Block scalar lines must not be less indented than their ${src}`;
          onError(offset - content.length - (crlf ? 2 : 1), "BAD_INDENT", message);
          indent = "";
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
          value += sep6 + indent.slice(trimIndent) + content;
          sep6 = "\n";
        } else if (indent.length > trimIndent || content[0] === "	") {
          if (sep6 === " ")
            sep6 = "\n";
          else if (!prevMoreIndented && sep6 === "\n")
            sep6 = "\n\n";
          value += sep6 + indent.slice(trimIndent) + content;
          sep6 = "\n";
          prevMoreIndented = true;
        } else if (content === "") {
          if (sep6 === "\n")
            value += "\n";
          else
            sep6 = "\n";
        } else {
          value += sep6 + content;
          sep6 = " ";
          prevMoreIndented = false;
        }
      }
      switch (header.chomp) {
        case "-":
          break;
        case "+":
          for (let i = chompStart; i < lines.length; ++i)
            value += "\n" + lines[i][0].slice(trimIndent);
          if (value[value.length - 1] !== "\n")
            value += "\n";
          break;
        default:
          value += "\n";
      }
      const end = start + header.length + scalar.source.length;
      return { value, type, comment: header.comment, range: [start, end, end] };
    }
    function parseBlockScalarHeader({ offset, props }, strict, onError) {
      if (props[0].type !== "block-scalar-header") {
        onError(props[0], "IMPOSSIBLE", "Block scalar header not found");
        return null;
      }
      const { source } = props[0];
      const mode = source[0];
      let indent = 0;
      let chomp = "";
      let error2 = -1;
      for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === "-" || ch === "+"))
          chomp = ch;
        else {
          const n = Number(ch);
          if (!indent && n)
            indent = n;
          else if (error2 === -1)
            error2 = offset + i;
        }
      }
      if (error2 !== -1)
        onError(error2, "UNEXPECTED_TOKEN", `Block scalar header includes extra characters: ${source}`);
      let hasSpace = false;
      let comment = "";
      let length = source.length;
      for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
          case "space":
            hasSpace = true;
          // fallthrough
          case "newline":
            length += token.source.length;
            break;
          case "comment":
            if (strict && !hasSpace) {
              const message = "Comments must be separated from other tokens by white space characters";
              onError(token, "MISSING_CHAR", message);
            }
            length += token.source.length;
            comment = token.source.substring(1);
            break;
          case "error":
            onError(token, "UNEXPECTED_TOKEN", token.message);
            length += token.source.length;
            break;
          /* istanbul ignore next should not happen */
          default: {
            const message = `Unexpected token in block scalar header: ${token.type}`;
            onError(token, "UNEXPECTED_TOKEN", message);
            const ts = token.source;
            if (ts && typeof ts === "string")
              length += ts.length;
          }
        }
      }
      return { mode, indent, chomp, comment, length };
    }
    function splitLines2(source) {
      const split = source.split(/\n( *)/);
      const first = split[0];
      const m = first.match(/^( *)/);
      const line0 = m?.[1] ? [m[1], first.slice(m[1].length)] : ["", first];
      const lines = [line0];
      for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
      return lines;
    }
    exports.resolveBlockScalar = resolveBlockScalar;
  }
});

// node_modules/yaml/dist/compose/resolve-flow-scalar.js
var require_resolve_flow_scalar = __commonJS({
  "node_modules/yaml/dist/compose/resolve-flow-scalar.js"(exports) {
    "use strict";
    var Scalar = require_Scalar();
    var resolveEnd = require_resolve_end();
    function resolveFlowScalar(scalar, strict, onError) {
      const { offset, type, source, end } = scalar;
      let _type;
      let value;
      const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
      switch (type) {
        case "scalar":
          _type = Scalar.Scalar.PLAIN;
          value = plainValue(source, _onError);
          break;
        case "single-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_SINGLE;
          value = singleQuotedValue(source, _onError);
          break;
        case "double-quoted-scalar":
          _type = Scalar.Scalar.QUOTE_DOUBLE;
          value = doubleQuotedValue(source, _onError);
          break;
        /* istanbul ignore next should not happen */
        default:
          onError(scalar, "UNEXPECTED_TOKEN", `Expected a flow scalar value, but found: ${type}`);
          return {
            value: "",
            type: null,
            comment: "",
            range: [offset, offset + source.length, offset + source.length]
          };
      }
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
      return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
      };
    }
    function plainValue(source, onError) {
      let badChar = "";
      switch (source[0]) {
        /* istanbul ignore next should not happen */
        case "	":
          badChar = "a tab character";
          break;
        case ",":
          badChar = "flow indicator character ,";
          break;
        case "%":
          badChar = "directive indicator character %";
          break;
        case "|":
        case ">": {
          badChar = `block scalar indicator ${source[0]}`;
          break;
        }
        case "@":
        case "`": {
          badChar = `reserved character ${source[0]}`;
          break;
        }
      }
      if (badChar)
        onError(0, "BAD_SCALAR_START", `Plain value cannot start with ${badChar}`);
      return unfoldLines(source);
    }
    function singleQuotedValue(source, onError) {
      if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, "MISSING_CHAR", "Missing closing 'quote");
      return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
    }
    function unfoldLines(source) {
      const line = /(.*?)\r?\n/sy;
      let match3 = line.exec(source);
      if (!match3)
        return source;
      let trimEnd, trimBoth;
      try {
        trimEnd = new RegExp("(?<![ 	])[ 	]+$");
        trimBoth = new RegExp("^[ 	]+|(?<![ 	])[ 	]+$", "g");
      } catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
      }
      let res = match3[1].replace(trimEnd, "");
      let sep6 = " ";
      let pos = line.lastIndex;
      while (match3 = line.exec(source)) {
        const lm = match3[1].replace(trimBoth, "");
        if (lm === "") {
          if (sep6 === "\n")
            res += sep6;
          else
            sep6 = "\n";
        } else {
          res += sep6 + lm;
          sep6 = " ";
        }
        pos = line.lastIndex;
      }
      const last = /[ \t]*(.*)/sy;
      last.lastIndex = pos;
      match3 = last.exec(source);
      return res + sep6 + (match3?.[1] ?? "");
    }
    function doubleQuotedValue(source, onError) {
      let res = "";
      for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === "\r" && source[i + 1] === "\n")
          continue;
        if (ch === "\n") {
          const { fold, offset } = foldNewline(source, i);
          res += fold;
          i = offset;
        } else if (ch === "\\") {
          let next = source[++i];
          const cc = escapeCodes[next];
          if (cc)
            res += cc;
          else if (next === "\n") {
            next = source[i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "\r" && source[i + 1] === "\n") {
            next = source[++i + 1];
            while (next === " " || next === "	")
              next = source[++i + 1];
          } else if (next === "x" || next === "u" || next === "U") {
            const length = next === "x" ? 2 : next === "u" ? 4 : 8;
            res += parseCharCode(source, i + 1, length, onError);
            i += length;
          } else {
            const raw = source.substr(i - 1, 2);
            onError(i - 1, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
            res += raw;
          }
        } else if (ch === " " || ch === "	") {
          const wsStart = i;
          let next = source[i + 1];
          while (next === " " || next === "	")
            next = source[++i + 1];
          if (next !== "\n" && !(next === "\r" && source[i + 2] === "\n"))
            res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        } else {
          res += ch;
        }
      }
      if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, "MISSING_CHAR", 'Missing closing "quote');
      return res;
    }
    function foldNewline(source, offset) {
      let fold = "";
      let ch = source[offset + 1];
      while (ch === " " || ch === "	" || ch === "\n" || ch === "\r") {
        if (ch === "\r" && source[offset + 2] !== "\n")
          break;
        if (ch === "\n")
          fold += "\n";
        offset += 1;
        ch = source[offset + 1];
      }
      if (!fold)
        fold = " ";
      return { fold, offset };
    }
    var escapeCodes = {
      "0": "\0",
      // null character
      a: "\x07",
      // bell character
      b: "\b",
      // backspace
      e: "\x1B",
      // escape character
      f: "\f",
      // form feed
      n: "\n",
      // line feed
      r: "\r",
      // carriage return
      t: "	",
      // horizontal tab
      v: "\v",
      // vertical tab
      N: "\x85",
      // Unicode next line
      _: "\xA0",
      // Unicode non-breaking space
      L: "\u2028",
      // Unicode line separator
      P: "\u2029",
      // Unicode paragraph separator
      " ": " ",
      '"': '"',
      "/": "/",
      "\\": "\\",
      "	": "	"
    };
    function parseCharCode(source, offset, length, onError) {
      const cc = source.substr(offset, length);
      const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
      const code = ok ? parseInt(cc, 16) : NaN;
      try {
        return String.fromCodePoint(code);
      } catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, "BAD_DQ_ESCAPE", `Invalid escape sequence ${raw}`);
        return raw;
      }
    }
    exports.resolveFlowScalar = resolveFlowScalar;
  }
});

// node_modules/yaml/dist/compose/compose-scalar.js
var require_compose_scalar = __commonJS({
  "node_modules/yaml/dist/compose/compose-scalar.js"(exports) {
    "use strict";
    var identity = require_identity();
    var Scalar = require_Scalar();
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    function composeScalar(ctx, token, tagToken, onError) {
      const { value, type, comment, range: range3 } = token.type === "block-scalar" ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError) : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
      const tagName = tagToken ? ctx.directives.tagName(tagToken.source, (msg) => onError(tagToken, "TAG_RESOLVE_FAILED", msg)) : null;
      let tag;
      if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
      } else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
      else if (token.type === "scalar")
        tag = findScalarTagByTest(ctx, value, token, onError);
      else
        tag = ctx.schema[identity.SCALAR];
      let scalar;
      try {
        const res = tag.resolve(value, (msg) => onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
      } catch (error2) {
        const msg = error2 instanceof Error ? error2.message : String(error2);
        onError(tagToken ?? token, "TAG_RESOLVE_FAILED", msg);
        scalar = new Scalar.Scalar(value);
      }
      scalar.range = range3;
      scalar.source = value;
      if (type)
        scalar.type = type;
      if (tagName)
        scalar.tag = tagName;
      if (tag.format)
        scalar.format = tag.format;
      if (comment)
        scalar.comment = comment;
      return scalar;
    }
    function findScalarTagByName(schema, value, tagName, tagToken, onError) {
      if (tagName === "!")
        return schema[identity.SCALAR];
      const matchWithTest = [];
      for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
          if (tag.default && tag.test)
            matchWithTest.push(tag);
          else
            return tag;
        }
      }
      for (const tag of matchWithTest)
        if (tag.test?.test(value))
          return tag;
      const kt2 = schema.knownTags[tagName];
      if (kt2 && !kt2.collection) {
        schema.tags.push(Object.assign({}, kt2, { default: false, test: void 0 }));
        return kt2;
      }
      onError(tagToken, "TAG_RESOLVE_FAILED", `Unresolved tag: ${tagName}`, tagName !== "tag:yaml.org,2002:str");
      return schema[identity.SCALAR];
    }
    function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
      const tag = schema.tags.find((tag2) => (tag2.default === true || atKey && tag2.default === "key") && tag2.test?.test(value)) || schema[identity.SCALAR];
      if (schema.compat) {
        const compat = schema.compat.find((tag2) => tag2.default && tag2.test?.test(value)) ?? schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
          const ts = directives.tagString(tag.tag);
          const cs = directives.tagString(compat.tag);
          const msg = `Value may be parsed as either ${ts} or ${cs}`;
          onError(token, "TAG_RESOLVE_FAILED", msg, true);
        }
      }
      return tag;
    }
    exports.composeScalar = composeScalar;
  }
});

// node_modules/yaml/dist/compose/util-empty-scalar-position.js
var require_util_empty_scalar_position = __commonJS({
  "node_modules/yaml/dist/compose/util-empty-scalar-position.js"(exports) {
    "use strict";
    function emptyScalarPosition(offset, before, pos) {
      if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
          let st2 = before[i];
          switch (st2.type) {
            case "space":
            case "comment":
            case "newline":
              offset -= st2.source.length;
              continue;
          }
          st2 = before[++i];
          while (st2?.type === "space") {
            offset += st2.source.length;
            st2 = before[++i];
          }
          break;
        }
      }
      return offset;
    }
    exports.emptyScalarPosition = emptyScalarPosition;
  }
});

// node_modules/yaml/dist/compose/compose-node.js
var require_compose_node = __commonJS({
  "node_modules/yaml/dist/compose/compose-node.js"(exports) {
    "use strict";
    var Alias = require_Alias();
    var identity = require_identity();
    var composeCollection = require_compose_collection();
    var composeScalar = require_compose_scalar();
    var resolveEnd = require_resolve_end();
    var utilEmptyScalarPosition = require_util_empty_scalar_position();
    var CN = { composeNode, composeEmptyNode };
    function composeNode(ctx, token, props, onError) {
      const atKey = ctx.atKey;
      const { spaceBefore, comment, anchor, tag } = props;
      let node;
      let isSrcToken = true;
      switch (token.type) {
        case "alias":
          node = composeAlias(ctx, token, onError);
          if (anchor || tag)
            onError(token, "ALIAS_PROPS", "An alias node must not specify any properties");
          break;
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "block-scalar":
          node = composeScalar.composeScalar(ctx, token, tag, onError);
          if (anchor)
            node.anchor = anchor.source.substring(1);
          break;
        case "block-map":
        case "block-seq":
        case "flow-collection":
          try {
            node = composeCollection.composeCollection(CN, ctx, token, props, onError);
            if (anchor)
              node.anchor = anchor.source.substring(1);
          } catch (error2) {
            const message = error2 instanceof Error ? error2.message : String(error2);
            onError(token, "RESOURCE_EXHAUSTION", message);
          }
          break;
        default: {
          const message = token.type === "error" ? token.message : `Unsupported token (type: ${token.type})`;
          onError(token, "UNEXPECTED_TOKEN", message);
          isSrcToken = false;
        }
      }
      node ?? (node = composeEmptyNode(ctx, token.offset, void 0, null, props, onError));
      if (anchor && node.anchor === "")
        onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      if (atKey && ctx.options.stringKeys && (!identity.isScalar(node) || typeof node.value !== "string" || node.tag && node.tag !== "tag:yaml.org,2002:str")) {
        const msg = "With stringKeys, all keys must be strings";
        onError(tag ?? token, "NON_STRING_KEY", msg);
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        if (token.type === "scalar" && token.source === "")
          node.comment = comment;
        else
          node.commentBefore = comment;
      }
      if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
      return node;
    }
    function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
      const token = {
        type: "scalar",
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ""
      };
      const node = composeScalar.composeScalar(ctx, token, tag, onError);
      if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === "")
          onError(anchor, "BAD_ALIAS", "Anchor cannot be an empty string");
      }
      if (spaceBefore)
        node.spaceBefore = true;
      if (comment) {
        node.comment = comment;
        node.range[2] = end;
      }
      return node;
    }
    function composeAlias({ options }, { offset, source, end }, onError) {
      const alias = new Alias.Alias(source.substring(1));
      if (alias.source === "")
        onError(offset, "BAD_ALIAS", "Alias cannot be an empty string");
      if (alias.source.endsWith(":"))
        onError(offset + source.length - 1, "BAD_ALIAS", "Alias ending in : is ambiguous", true);
      const valueEnd = offset + source.length;
      const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
      alias.range = [offset, valueEnd, re.offset];
      if (re.comment)
        alias.comment = re.comment;
      return alias;
    }
    exports.composeEmptyNode = composeEmptyNode;
    exports.composeNode = composeNode;
  }
});

// node_modules/yaml/dist/compose/compose-doc.js
var require_compose_doc = __commonJS({
  "node_modules/yaml/dist/compose/compose-doc.js"(exports) {
    "use strict";
    var Document = require_Document();
    var composeNode = require_compose_node();
    var resolveEnd = require_resolve_end();
    var resolveProps = require_resolve_props();
    function composeDoc(options, directives, { offset, start, value, end }, onError) {
      const opts = Object.assign({ _directives: directives }, options);
      const doc = new Document.Document(void 0, opts);
      const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
      };
      const props = resolveProps.resolveProps(start, {
        indicator: "doc-start",
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
      });
      if (props.found) {
        doc.directives.docStart = true;
        if (value && (value.type === "block-map" || value.type === "block-seq") && !props.hasNewline)
          onError(props.end, "MISSING_CHAR", "Block collection cannot start on same line with directives-end marker");
      }
      doc.contents = value ? composeNode.composeNode(ctx, value, props, onError) : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
      const contentEnd = doc.contents.range[2];
      const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
      if (re.comment)
        doc.comment = re.comment;
      doc.range = [offset, contentEnd, re.offset];
      return doc;
    }
    exports.composeDoc = composeDoc;
  }
});

// node_modules/yaml/dist/compose/composer.js
var require_composer = __commonJS({
  "node_modules/yaml/dist/compose/composer.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var directives = require_directives();
    var Document = require_Document();
    var errors = require_errors();
    var identity = require_identity();
    var composeDoc = require_compose_doc();
    var resolveEnd = require_resolve_end();
    function getErrorPos(src) {
      if (typeof src === "number")
        return [src, src + 1];
      if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
      const { offset, source } = src;
      return [offset, offset + (typeof source === "string" ? source.length : 1)];
    }
    function parsePrelude(prelude) {
      let comment = "";
      let atComment = false;
      let afterEmptyLine = false;
      for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
          case "#":
            comment += (comment === "" ? "" : afterEmptyLine ? "\n\n" : "\n") + (source.substring(1) || " ");
            atComment = true;
            afterEmptyLine = false;
            break;
          case "%":
            if (prelude[i + 1]?.[0] !== "#")
              i += 1;
            atComment = false;
            break;
          default:
            if (!atComment)
              afterEmptyLine = true;
            atComment = false;
        }
      }
      return { comment, afterEmptyLine };
    }
    var Composer = class {
      constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning2) => {
          const pos = getErrorPos(source);
          if (warning2)
            this.warnings.push(new errors.YAMLWarning(pos, code, message));
          else
            this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        this.directives = new directives.Directives({ version: options.version || "1.2" });
        this.options = options;
      }
      decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        if (comment) {
          const dc = doc.contents;
          if (afterDoc) {
            doc.comment = doc.comment ? `${doc.comment}
${comment}` : comment;
          } else if (afterEmptyLine || doc.directives.docStart || !dc) {
            doc.commentBefore = comment;
          } else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
            let it2 = dc.items[0];
            if (identity.isPair(it2))
              it2 = it2.key;
            const cb = it2.commentBefore;
            it2.commentBefore = cb ? `${comment}
${cb}` : comment;
          } else {
            const cb = dc.commentBefore;
            dc.commentBefore = cb ? `${comment}
${cb}` : comment;
          }
        }
        if (afterDoc) {
          for (let i = 0; i < this.errors.length; ++i)
            doc.errors.push(this.errors[i]);
          for (let i = 0; i < this.warnings.length; ++i)
            doc.warnings.push(this.warnings[i]);
        } else {
          doc.errors = this.errors;
          doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
      }
      /**
       * Current stream status information.
       *
       * Mostly useful at the end of input for an empty stream.
       */
      streamInfo() {
        return {
          comment: parsePrelude(this.prelude).comment,
          directives: this.directives,
          errors: this.errors,
          warnings: this.warnings
        };
      }
      /**
       * Compose tokens into documents.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
          yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
      }
      /** Advance the composer by one CST token. */
      *next(token) {
        if (node_process.env.LOG_STREAM)
          console.dir(token, { depth: null });
        switch (token.type) {
          case "directive":
            this.directives.add(token.source, (offset, message, warning2) => {
              const pos = getErrorPos(token);
              pos[0] += offset;
              this.onError(pos, "BAD_DIRECTIVE", message, warning2);
            });
            this.prelude.push(token.source);
            this.atDirectives = true;
            break;
          case "document": {
            const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
            if (this.atDirectives && !doc.directives.docStart)
              this.onError(token, "MISSING_CHAR", "Missing directives-end/doc-start indicator line");
            this.decorate(doc, false);
            if (this.doc)
              yield this.doc;
            this.doc = doc;
            this.atDirectives = false;
            break;
          }
          case "byte-order-mark":
          case "space":
            break;
          case "comment":
          case "newline":
            this.prelude.push(token.source);
            break;
          case "error": {
            const msg = token.source ? `${token.message}: ${JSON.stringify(token.source)}` : token.message;
            const error2 = new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg);
            if (this.atDirectives || !this.doc)
              this.errors.push(error2);
            else
              this.doc.errors.push(error2);
            break;
          }
          case "doc-end": {
            if (!this.doc) {
              const msg = "Unexpected doc-end without preceding document";
              this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", msg));
              break;
            }
            this.doc.directives.docEnd = true;
            const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
            this.decorate(this.doc, true);
            if (end.comment) {
              const dc = this.doc.comment;
              this.doc.comment = dc ? `${dc}
${end.comment}` : end.comment;
            }
            this.doc.range[2] = end.offset;
            break;
          }
          default:
            this.errors.push(new errors.YAMLParseError(getErrorPos(token), "UNEXPECTED_TOKEN", `Unsupported token ${token.type}`));
        }
      }
      /**
       * Call at end of input to yield any remaining document.
       *
       * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
       * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
       */
      *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
          this.decorate(this.doc, true);
          yield this.doc;
          this.doc = null;
        } else if (forceDoc) {
          const opts = Object.assign({ _directives: this.directives }, this.options);
          const doc = new Document.Document(void 0, opts);
          if (this.atDirectives)
            this.onError(endOffset, "MISSING_CHAR", "Missing directives-end indicator line");
          doc.range = [0, endOffset, endOffset];
          this.decorate(doc, false);
          yield doc;
        }
      }
    };
    exports.Composer = Composer;
  }
});

// node_modules/yaml/dist/parse/cst-scalar.js
var require_cst_scalar = __commonJS({
  "node_modules/yaml/dist/parse/cst-scalar.js"(exports) {
    "use strict";
    var resolveBlockScalar = require_resolve_block_scalar();
    var resolveFlowScalar = require_resolve_flow_scalar();
    var errors = require_errors();
    var stringifyString = require_stringifyString();
    function resolveAsScalar(token, strict = true, onError) {
      if (token) {
        const _onError = (pos, code, message) => {
          const offset = typeof pos === "number" ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
          if (onError)
            onError(offset, code, message);
          else
            throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
          case "block-scalar":
            return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
      }
      return null;
    }
    function createScalarToken(value, context) {
      const { implicitKey = false, indent, inFlow = false, offset = -1, type = "PLAIN" } = context;
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      const end = context.end ?? [
        { type: "newline", offset: -1, indent, source: "\n" }
      ];
      switch (source[0]) {
        case "|":
        case ">": {
          const he2 = source.indexOf("\n");
          const head = source.substring(0, he2);
          const body = source.substring(he2 + 1) + "\n";
          const props = [
            { type: "block-scalar-header", offset, indent, source: head }
          ];
          if (!addEndtoBlockProps(props, end))
            props.push({ type: "newline", offset: -1, indent, source: "\n" });
          return { type: "block-scalar", offset, indent, props, source: body };
        }
        case '"':
          return { type: "double-quoted-scalar", offset, indent, source, end };
        case "'":
          return { type: "single-quoted-scalar", offset, indent, source, end };
        default:
          return { type: "scalar", offset, indent, source, end };
      }
    }
    function setScalarValue(token, value, context = {}) {
      let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
      let indent = "indent" in token ? token.indent : null;
      if (afterKey && typeof indent === "number")
        indent += 2;
      if (!type)
        switch (token.type) {
          case "single-quoted-scalar":
            type = "QUOTE_SINGLE";
            break;
          case "double-quoted-scalar":
            type = "QUOTE_DOUBLE";
            break;
          case "block-scalar": {
            const header = token.props[0];
            if (header.type !== "block-scalar-header")
              throw new Error("Invalid block scalar header");
            type = header.source[0] === ">" ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
            break;
          }
          default:
            type = "PLAIN";
        }
      const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? " ".repeat(indent) : "",
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
      });
      switch (source[0]) {
        case "|":
        case ">":
          setBlockScalarValue(token, source);
          break;
        case '"':
          setFlowScalarValue(token, source, "double-quoted-scalar");
          break;
        case "'":
          setFlowScalarValue(token, source, "single-quoted-scalar");
          break;
        default:
          setFlowScalarValue(token, source, "scalar");
      }
    }
    function setBlockScalarValue(token, source) {
      const he2 = source.indexOf("\n");
      const head = source.substring(0, he2);
      const body = source.substring(he2 + 1) + "\n";
      if (token.type === "block-scalar") {
        const header = token.props[0];
        if (header.type !== "block-scalar-header")
          throw new Error("Invalid block scalar header");
        header.source = head;
        token.source = body;
      } else {
        const { offset } = token;
        const indent = "indent" in token ? token.indent : -1;
        const props = [
          { type: "block-scalar-header", offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, "end" in token ? token.end : void 0))
          props.push({ type: "newline", offset: -1, indent, source: "\n" });
        for (const key of Object.keys(token))
          if (key !== "type" && key !== "offset")
            delete token[key];
        Object.assign(token, { type: "block-scalar", indent, props, source: body });
      }
    }
    function addEndtoBlockProps(props, end) {
      if (end)
        for (const st2 of end)
          switch (st2.type) {
            case "space":
            case "comment":
              props.push(st2);
              break;
            case "newline":
              props.push(st2);
              return true;
          }
      return false;
    }
    function setFlowScalarValue(token, source, type) {
      switch (token.type) {
        case "scalar":
        case "double-quoted-scalar":
        case "single-quoted-scalar":
          token.type = type;
          token.source = source;
          break;
        case "block-scalar": {
          const end = token.props.slice(1);
          let oa = source.length;
          if (token.props[0].type === "block-scalar-header")
            oa -= token.props[0].source.length;
          for (const tok of end)
            tok.offset += oa;
          delete token.props;
          Object.assign(token, { type, source, end });
          break;
        }
        case "block-map":
        case "block-seq": {
          const offset = token.offset + source.length;
          const nl = { type: "newline", offset, indent: token.indent, source: "\n" };
          delete token.items;
          Object.assign(token, { type, source, end: [nl] });
          break;
        }
        default: {
          const indent = "indent" in token ? token.indent : -1;
          const end = "end" in token && Array.isArray(token.end) ? token.end.filter((st2) => st2.type === "space" || st2.type === "comment" || st2.type === "newline") : [];
          for (const key of Object.keys(token))
            if (key !== "type" && key !== "offset")
              delete token[key];
          Object.assign(token, { type, indent, source, end });
        }
      }
    }
    exports.createScalarToken = createScalarToken;
    exports.resolveAsScalar = resolveAsScalar;
    exports.setScalarValue = setScalarValue;
  }
});

// node_modules/yaml/dist/parse/cst-stringify.js
var require_cst_stringify = __commonJS({
  "node_modules/yaml/dist/parse/cst-stringify.js"(exports) {
    "use strict";
    var stringify = (cst) => "type" in cst ? stringifyToken(cst) : stringifyItem(cst);
    function stringifyToken(token) {
      switch (token.type) {
        case "block-scalar": {
          let res = "";
          for (const tok of token.props)
            res += stringifyToken(tok);
          return res + token.source;
        }
        case "block-map":
        case "block-seq": {
          let res = "";
          for (const item of token.items)
            res += stringifyItem(item);
          return res;
        }
        case "flow-collection": {
          let res = token.start.source;
          for (const item of token.items)
            res += stringifyItem(item);
          for (const st2 of token.end)
            res += st2.source;
          return res;
        }
        case "document": {
          let res = stringifyItem(token);
          if (token.end)
            for (const st2 of token.end)
              res += st2.source;
          return res;
        }
        default: {
          let res = token.source;
          if ("end" in token && token.end)
            for (const st2 of token.end)
              res += st2.source;
          return res;
        }
      }
    }
    function stringifyItem({ start, key, sep: sep6, value }) {
      let res = "";
      for (const st2 of start)
        res += st2.source;
      if (key)
        res += stringifyToken(key);
      if (sep6)
        for (const st2 of sep6)
          res += st2.source;
      if (value)
        res += stringifyToken(value);
      return res;
    }
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/parse/cst-visit.js
var require_cst_visit = __commonJS({
  "node_modules/yaml/dist/parse/cst-visit.js"(exports) {
    "use strict";
    var BREAK = /* @__PURE__ */ Symbol("break visit");
    var SKIP = /* @__PURE__ */ Symbol("skip children");
    var REMOVE = /* @__PURE__ */ Symbol("remove item");
    function visit(cst, visitor) {
      if ("type" in cst && cst.type === "document")
        cst = { start: cst.start, value: cst.value };
      _visit(Object.freeze([]), cst, visitor);
    }
    visit.BREAK = BREAK;
    visit.SKIP = SKIP;
    visit.REMOVE = REMOVE;
    visit.itemAtPath = (cst, path6) => {
      let item = cst;
      for (const [field, index] of path6) {
        const tok = item?.[field];
        if (tok && "items" in tok) {
          item = tok.items[index];
        } else
          return void 0;
      }
      return item;
    };
    visit.parentCollection = (cst, path6) => {
      const parent = visit.itemAtPath(cst, path6.slice(0, -1));
      const field = path6[path6.length - 1][0];
      const coll = parent?.[field];
      if (coll && "items" in coll)
        return coll;
      throw new Error("Parent collection not found");
    };
    function _visit(path6, item, visitor) {
      let ctrl = visitor(item, path6);
      if (typeof ctrl === "symbol")
        return ctrl;
      for (const field of ["key", "value"]) {
        const token = item[field];
        if (token && "items" in token) {
          for (let i = 0; i < token.items.length; ++i) {
            const ci = _visit(Object.freeze(path6.concat([[field, i]])), token.items[i], visitor);
            if (typeof ci === "number")
              i = ci - 1;
            else if (ci === BREAK)
              return BREAK;
            else if (ci === REMOVE) {
              token.items.splice(i, 1);
              i -= 1;
            }
          }
          if (typeof ctrl === "function" && field === "key")
            ctrl = ctrl(item, path6);
        }
      }
      return typeof ctrl === "function" ? ctrl(item, path6) : ctrl;
    }
    exports.visit = visit;
  }
});

// node_modules/yaml/dist/parse/cst.js
var require_cst = __commonJS({
  "node_modules/yaml/dist/parse/cst.js"(exports) {
    "use strict";
    var cstScalar = require_cst_scalar();
    var cstStringify = require_cst_stringify();
    var cstVisit = require_cst_visit();
    var BOM = "\uFEFF";
    var DOCUMENT = "";
    var FLOW_END = "";
    var SCALAR = "";
    var isCollection = (token) => !!token && "items" in token;
    var isScalar = (token) => !!token && (token.type === "scalar" || token.type === "single-quoted-scalar" || token.type === "double-quoted-scalar" || token.type === "block-scalar");
    function prettyToken(token) {
      switch (token) {
        case BOM:
          return "<BOM>";
        case DOCUMENT:
          return "<DOC>";
        case FLOW_END:
          return "<FLOW_END>";
        case SCALAR:
          return "<SCALAR>";
        default:
          return JSON.stringify(token);
      }
    }
    function tokenType(source) {
      switch (source) {
        case BOM:
          return "byte-order-mark";
        case DOCUMENT:
          return "doc-mode";
        case FLOW_END:
          return "flow-error-end";
        case SCALAR:
          return "scalar";
        case "---":
          return "doc-start";
        case "...":
          return "doc-end";
        case "":
        case "\n":
        case "\r\n":
          return "newline";
        case "-":
          return "seq-item-ind";
        case "?":
          return "explicit-key-ind";
        case ":":
          return "map-value-ind";
        case "{":
          return "flow-map-start";
        case "}":
          return "flow-map-end";
        case "[":
          return "flow-seq-start";
        case "]":
          return "flow-seq-end";
        case ",":
          return "comma";
      }
      switch (source[0]) {
        case " ":
        case "	":
          return "space";
        case "#":
          return "comment";
        case "%":
          return "directive-line";
        case "*":
          return "alias";
        case "&":
          return "anchor";
        case "!":
          return "tag";
        case "'":
          return "single-quoted-scalar";
        case '"':
          return "double-quoted-scalar";
        case "|":
        case ">":
          return "block-scalar-header";
      }
      return null;
    }
    exports.createScalarToken = cstScalar.createScalarToken;
    exports.resolveAsScalar = cstScalar.resolveAsScalar;
    exports.setScalarValue = cstScalar.setScalarValue;
    exports.stringify = cstStringify.stringify;
    exports.visit = cstVisit.visit;
    exports.BOM = BOM;
    exports.DOCUMENT = DOCUMENT;
    exports.FLOW_END = FLOW_END;
    exports.SCALAR = SCALAR;
    exports.isCollection = isCollection;
    exports.isScalar = isScalar;
    exports.prettyToken = prettyToken;
    exports.tokenType = tokenType;
  }
});

// node_modules/yaml/dist/parse/lexer.js
var require_lexer = __commonJS({
  "node_modules/yaml/dist/parse/lexer.js"(exports) {
    "use strict";
    var cst = require_cst();
    function isEmpty(ch) {
      switch (ch) {
        case void 0:
        case " ":
        case "\n":
        case "\r":
        case "	":
          return true;
        default:
          return false;
      }
    }
    var hexDigits = new Set("0123456789ABCDEFabcdef");
    var tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
    var flowIndicatorChars = new Set(",[]{}");
    var invalidAnchorChars = new Set(" ,[]{}\n\r	");
    var isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
    var Lexer = class {
      constructor() {
        this.atEnd = false;
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        this.buffer = "";
        this.flowKey = false;
        this.flowLevel = 0;
        this.indentNext = 0;
        this.indentValue = 0;
        this.lineEndPos = null;
        this.next = null;
        this.pos = 0;
      }
      /**
       * Generate YAML tokens from the `source` string. If `incomplete`,
       * a part of the last line may be left as a buffer for the next call.
       *
       * @returns A generator of lexical tokens
       */
      *lex(source, incomplete = false) {
        if (source) {
          if (typeof source !== "string")
            throw TypeError("source is not a string");
          this.buffer = this.buffer ? this.buffer + source : source;
          this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? "stream";
        while (next && (incomplete || this.hasChars(1)))
          next = yield* this.parseNext(next);
      }
      atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === " " || ch === "	")
          ch = this.buffer[++i];
        if (!ch || ch === "#" || ch === "\n")
          return true;
        if (ch === "\r")
          return this.buffer[i + 1] === "\n";
        return false;
      }
      charAt(n) {
        return this.buffer[this.pos + n];
      }
      continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
          let indent = 0;
          while (ch === " ")
            ch = this.buffer[++indent + offset];
          if (ch === "\r") {
            const next = this.buffer[indent + offset + 1];
            if (next === "\n" || !next && !this.atEnd)
              return offset + indent + 1;
          }
          return ch === "\n" || indent >= this.indentNext || !ch && !this.atEnd ? offset + indent : -1;
        }
        if (ch === "-" || ch === ".") {
          const dt2 = this.buffer.substr(offset, 3);
          if ((dt2 === "---" || dt2 === "...") && isEmpty(this.buffer[offset + 3]))
            return -1;
        }
        return offset;
      }
      getLine() {
        let end = this.lineEndPos;
        if (typeof end !== "number" || end !== -1 && end < this.pos) {
          end = this.buffer.indexOf("\n", this.pos);
          this.lineEndPos = end;
        }
        if (end === -1)
          return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === "\r")
          end -= 1;
        return this.buffer.substring(this.pos, end);
      }
      hasChars(n) {
        return this.pos + n <= this.buffer.length;
      }
      setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
      }
      peek(n) {
        return this.buffer.substr(this.pos, n);
      }
      *parseNext(next) {
        switch (next) {
          case "stream":
            return yield* this.parseStream();
          case "line-start":
            return yield* this.parseLineStart();
          case "block-start":
            return yield* this.parseBlockStart();
          case "doc":
            return yield* this.parseDocument();
          case "flow":
            return yield* this.parseFlowCollection();
          case "quoted-scalar":
            return yield* this.parseQuotedScalar();
          case "block-scalar":
            return yield* this.parseBlockScalar();
          case "plain-scalar":
            return yield* this.parsePlainScalar();
        }
      }
      *parseStream() {
        let line = this.getLine();
        if (line === null)
          return this.setNext("stream");
        if (line[0] === cst.BOM) {
          yield* this.pushCount(1);
          line = line.substring(1);
        }
        if (line[0] === "%") {
          let dirEnd = line.length;
          let cs = line.indexOf("#");
          while (cs !== -1) {
            const ch = line[cs - 1];
            if (ch === " " || ch === "	") {
              dirEnd = cs - 1;
              break;
            } else {
              cs = line.indexOf("#", cs + 1);
            }
          }
          while (true) {
            const ch = line[dirEnd - 1];
            if (ch === " " || ch === "	")
              dirEnd -= 1;
            else
              break;
          }
          const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
          yield* this.pushCount(line.length - n);
          this.pushNewline();
          return "stream";
        }
        if (this.atLineEnd()) {
          const sp = yield* this.pushSpaces(true);
          yield* this.pushCount(line.length - sp);
          yield* this.pushNewline();
          return "stream";
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
      }
      *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
          return this.setNext("line-start");
        if (ch === "-" || ch === ".") {
          if (!this.atEnd && !this.hasChars(4))
            return this.setNext("line-start");
          const s = this.peek(3);
          if ((s === "---" || s === "...") && isEmpty(this.charAt(3))) {
            yield* this.pushCount(3);
            this.indentValue = 0;
            this.indentNext = 0;
            return s === "---" ? "doc" : "stream";
          }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
          this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
      }
      *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
          return this.setNext("block-start");
        if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty(ch1)) {
          const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
          this.indentNext = this.indentValue + 1;
          this.indentValue += n;
          return "block-start";
        }
        return "doc";
      }
      *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
          return this.setNext("doc");
        let n = yield* this.pushIndicators();
        switch (line[n]) {
          case "#":
            yield* this.pushCount(line.length - n);
          // fallthrough
          case void 0:
            yield* this.pushNewline();
            return yield* this.parseLineStart();
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel = 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            return "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "doc";
          case '"':
          case "'":
            return yield* this.parseQuotedScalar();
          case "|":
          case ">":
            n += yield* this.parseBlockScalarHeader();
            n += yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - n);
            yield* this.pushNewline();
            return yield* this.parseBlockScalar();
          default:
            return yield* this.parsePlainScalar();
        }
      }
      *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
          nl = yield* this.pushNewline();
          if (nl > 0) {
            sp = yield* this.pushSpaces(false);
            this.indentValue = indent = sp;
          } else {
            sp = 0;
          }
          sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
          return this.setNext("flow");
        if (indent !== -1 && indent < this.indentNext && line[0] !== "#" || indent === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty(line[3])) {
          const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
          if (!atFlowEndMarker) {
            this.flowLevel = 0;
            yield cst.FLOW_END;
            return yield* this.parseLineStart();
          }
        }
        let n = 0;
        while (line[n] === ",") {
          n += yield* this.pushCount(1);
          n += yield* this.pushSpaces(true);
          this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
          case void 0:
            return "flow";
          case "#":
            yield* this.pushCount(line.length - n);
            return "flow";
          case "{":
          case "[":
            yield* this.pushCount(1);
            this.flowKey = false;
            this.flowLevel += 1;
            return "flow";
          case "}":
          case "]":
            yield* this.pushCount(1);
            this.flowKey = true;
            this.flowLevel -= 1;
            return this.flowLevel ? "flow" : "doc";
          case "*":
            yield* this.pushUntil(isNotAnchorChar);
            return "flow";
          case '"':
          case "'":
            this.flowKey = true;
            return yield* this.parseQuotedScalar();
          case ":": {
            const next = this.charAt(1);
            if (this.flowKey || isEmpty(next) || next === ",") {
              this.flowKey = false;
              yield* this.pushCount(1);
              yield* this.pushSpaces(true);
              return "flow";
            }
          }
          // fallthrough
          default:
            this.flowKey = false;
            return yield* this.parsePlainScalar();
        }
      }
      *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
          while (end !== -1 && this.buffer[end + 1] === "'")
            end = this.buffer.indexOf("'", end + 2);
        } else {
          while (end !== -1) {
            let n = 0;
            while (this.buffer[end - 1 - n] === "\\")
              n += 1;
            if (n % 2 === 0)
              break;
            end = this.buffer.indexOf('"', end + 1);
          }
        }
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf("\n", this.pos);
        if (nl !== -1) {
          while (nl !== -1) {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = qb.indexOf("\n", cs);
          }
          if (nl !== -1) {
            end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
          }
        }
        if (end === -1) {
          if (!this.atEnd)
            return this.setNext("quoted-scalar");
          end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? "flow" : "doc";
      }
      *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
          const ch = this.buffer[++i];
          if (ch === "+")
            this.blockScalarKeep = true;
          else if (ch > "0" && ch <= "9")
            this.blockScalarIndent = Number(ch) - 1;
          else if (ch !== "-")
            break;
        }
        return yield* this.pushUntil((ch) => isEmpty(ch) || ch === "#");
      }
      *parseBlockScalar() {
        let nl = this.pos - 1;
        let indent = 0;
        let ch;
        loop: for (let i2 = this.pos; ch = this.buffer[i2]; ++i2) {
          switch (ch) {
            case " ":
              indent += 1;
              break;
            case "\n":
              nl = i2;
              indent = 0;
              break;
            case "\r": {
              const next = this.buffer[i2 + 1];
              if (!next && !this.atEnd)
                return this.setNext("block-scalar");
              if (next === "\n")
                break;
            }
            // fallthrough
            default:
              break loop;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("block-scalar");
        if (indent >= this.indentNext) {
          if (this.blockScalarIndent === -1)
            this.indentNext = indent;
          else {
            this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
          }
          do {
            const cs = this.continueScalar(nl + 1);
            if (cs === -1)
              break;
            nl = this.buffer.indexOf("\n", cs);
          } while (nl !== -1);
          if (nl === -1) {
            if (!this.atEnd)
              return this.setNext("block-scalar");
            nl = this.buffer.length;
          }
        }
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === " ")
          ch = this.buffer[++i];
        if (ch === "	") {
          while (ch === "	" || ch === " " || ch === "\r" || ch === "\n")
            ch = this.buffer[++i];
          nl = i - 1;
        } else if (!this.blockScalarKeep) {
          do {
            let i2 = nl - 1;
            let ch2 = this.buffer[i2];
            if (ch2 === "\r")
              ch2 = this.buffer[--i2];
            const lastChar = i2;
            while (ch2 === " ")
              ch2 = this.buffer[--i2];
            if (ch2 === "\n" && i2 >= this.pos && i2 + 1 + indent > lastChar)
              nl = i2;
            else
              break;
          } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
      }
      *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while (ch = this.buffer[++i]) {
          if (ch === ":") {
            const next = this.buffer[i + 1];
            if (isEmpty(next) || inFlow && flowIndicatorChars.has(next))
              break;
            end = i;
          } else if (isEmpty(ch)) {
            let next = this.buffer[i + 1];
            if (ch === "\r") {
              if (next === "\n") {
                i += 1;
                ch = "\n";
                next = this.buffer[i + 1];
              } else
                end = i;
            }
            if (next === "#" || inFlow && flowIndicatorChars.has(next))
              break;
            if (ch === "\n") {
              const cs = this.continueScalar(i + 1);
              if (cs === -1)
                break;
              i = Math.max(i, cs - 2);
            }
          } else {
            if (inFlow && flowIndicatorChars.has(ch))
              break;
            end = i;
          }
        }
        if (!ch && !this.atEnd)
          return this.setNext("plain-scalar");
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? "flow" : "doc";
      }
      *pushCount(n) {
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos += n;
          return n;
        }
        return 0;
      }
      *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
          yield s;
          this.pos += s.length;
          return s.length;
        } else if (allowEmpty)
          yield "";
        return 0;
      }
      *pushIndicators() {
        let n = 0;
        loop: while (true) {
          switch (this.charAt(0)) {
            case "!":
              n += yield* this.pushTag();
              n += yield* this.pushSpaces(true);
              continue loop;
            case "&":
              n += yield* this.pushUntil(isNotAnchorChar);
              n += yield* this.pushSpaces(true);
              continue loop;
            case "-":
            // this is an error
            case "?":
            // this is an error outside flow collections
            case ":": {
              const inFlow = this.flowLevel > 0;
              const ch1 = this.charAt(1);
              if (isEmpty(ch1) || inFlow && flowIndicatorChars.has(ch1)) {
                if (!inFlow)
                  this.indentNext = this.indentValue + 1;
                else if (this.flowKey)
                  this.flowKey = false;
                n += yield* this.pushCount(1);
                n += yield* this.pushSpaces(true);
                continue loop;
              }
            }
          }
          break loop;
        }
        return n;
      }
      *pushTag() {
        if (this.charAt(1) === "<") {
          let i = this.pos + 2;
          let ch = this.buffer[i];
          while (!isEmpty(ch) && ch !== ">")
            ch = this.buffer[++i];
          return yield* this.pushToIndex(ch === ">" ? i + 1 : i, false);
        } else {
          let i = this.pos + 1;
          let ch = this.buffer[i];
          while (ch) {
            if (tagChars.has(ch))
              ch = this.buffer[++i];
            else if (ch === "%" && hexDigits.has(this.buffer[i + 1]) && hexDigits.has(this.buffer[i + 2])) {
              ch = this.buffer[i += 3];
            } else
              break;
          }
          return yield* this.pushToIndex(i, false);
        }
      }
      *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === "\n")
          return yield* this.pushCount(1);
        else if (ch === "\r" && this.charAt(1) === "\n")
          return yield* this.pushCount(2);
        else
          return 0;
      }
      *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
          ch = this.buffer[++i];
        } while (ch === " " || allowTabs && ch === "	");
        const n = i - this.pos;
        if (n > 0) {
          yield this.buffer.substr(this.pos, n);
          this.pos = i;
        }
        return n;
      }
      *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
          ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
      }
    };
    exports.Lexer = Lexer;
  }
});

// node_modules/yaml/dist/parse/line-counter.js
var require_line_counter = __commonJS({
  "node_modules/yaml/dist/parse/line-counter.js"(exports) {
    "use strict";
    var LineCounter = class {
      constructor() {
        this.lineStarts = [];
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        this.linePos = (offset) => {
          let low = 0;
          let high = this.lineStarts.length;
          while (low < high) {
            const mid = low + high >> 1;
            if (this.lineStarts[mid] < offset)
              low = mid + 1;
            else
              high = mid;
          }
          if (this.lineStarts[low] === offset)
            return { line: low + 1, col: 1 };
          if (low === 0)
            return { line: 0, col: offset };
          const start = this.lineStarts[low - 1];
          return { line: low, col: offset - start + 1 };
        };
      }
    };
    exports.LineCounter = LineCounter;
  }
});

// node_modules/yaml/dist/parse/parser.js
var require_parser = __commonJS({
  "node_modules/yaml/dist/parse/parser.js"(exports) {
    "use strict";
    var node_process = __require("process");
    var cst = require_cst();
    var lexer = require_lexer();
    function includesToken(list, type) {
      for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
          return true;
      return false;
    }
    function findNonEmptyIndex(list) {
      for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
          case "space":
          case "comment":
          case "newline":
            break;
          default:
            return i;
        }
      }
      return -1;
    }
    function isFlowToken(token) {
      switch (token?.type) {
        case "alias":
        case "scalar":
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "flow-collection":
          return true;
        default:
          return false;
      }
    }
    function getPrevProps(parent) {
      switch (parent.type) {
        case "document":
          return parent.start;
        case "block-map": {
          const it2 = parent.items[parent.items.length - 1];
          return it2.sep ?? it2.start;
        }
        case "block-seq":
          return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
          return [];
      }
    }
    function getFirstKeyStartProps(prev) {
      if (prev.length === 0)
        return [];
      let i = prev.length;
      loop: while (--i >= 0) {
        switch (prev[i].type) {
          case "doc-start":
          case "explicit-key-ind":
          case "map-value-ind":
          case "seq-item-ind":
          case "newline":
            break loop;
        }
      }
      while (prev[++i]?.type === "space") {
      }
      return prev.splice(i, prev.length);
    }
    function arrayPushArray(target, source) {
      if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
      else
        for (let i = 0; i < source.length; ++i)
          target.push(source[i]);
    }
    function fixFlowSeqItems(fc) {
      if (fc.start.type === "flow-seq-start") {
        for (const it2 of fc.items) {
          if (it2.sep && !it2.value && !includesToken(it2.start, "explicit-key-ind") && !includesToken(it2.sep, "map-value-ind")) {
            if (it2.key)
              it2.value = it2.key;
            delete it2.key;
            if (isFlowToken(it2.value)) {
              if (it2.value.end)
                arrayPushArray(it2.value.end, it2.sep);
              else
                it2.value.end = it2.sep;
            } else
              arrayPushArray(it2.start, it2.sep);
            delete it2.sep;
          }
        }
      }
    }
    var Parser = class {
      /**
       * @param onNewLine - If defined, called separately with the start position of
       *   each new line (in `parse()`, including the start of input).
       */
      constructor(onNewLine) {
        this.atNewLine = true;
        this.atScalar = false;
        this.indent = 0;
        this.offset = 0;
        this.onKeyLine = false;
        this.stack = [];
        this.source = "";
        this.type = "";
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
      }
      /**
       * Parse `source` as a YAML stream.
       * If `incomplete`, a part of the last line may be left as a buffer for the next call.
       *
       * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
       *
       * @returns A generator of tokens representing each directive, document, and other structure.
       */
      *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
          this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
          yield* this.next(lexeme);
        if (!incomplete)
          yield* this.end();
      }
      /**
       * Advance the parser by the `source` of one lexical token.
       */
      *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
          console.log("|", cst.prettyToken(source));
        if (this.atScalar) {
          this.atScalar = false;
          yield* this.step();
          this.offset += source.length;
          return;
        }
        const type = cst.tokenType(source);
        if (!type) {
          const message = `Not a YAML token: ${source}`;
          yield* this.pop({ type: "error", offset: this.offset, message, source });
          this.offset += source.length;
        } else if (type === "scalar") {
          this.atNewLine = false;
          this.atScalar = true;
          this.type = "scalar";
        } else {
          this.type = type;
          yield* this.step();
          switch (type) {
            case "newline":
              this.atNewLine = true;
              this.indent = 0;
              if (this.onNewLine)
                this.onNewLine(this.offset + source.length);
              break;
            case "space":
              if (this.atNewLine && source[0] === " ")
                this.indent += source.length;
              break;
            case "explicit-key-ind":
            case "map-value-ind":
            case "seq-item-ind":
              if (this.atNewLine)
                this.indent += source.length;
              break;
            case "doc-mode":
            case "flow-error-end":
              return;
            default:
              this.atNewLine = false;
          }
          this.offset += source.length;
        }
      }
      /** Call at end of input to push out any remaining constructions */
      *end() {
        while (this.stack.length > 0)
          yield* this.pop();
      }
      get sourceToken() {
        const st2 = {
          type: this.type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
        return st2;
      }
      *step() {
        const top = this.peek(1);
        if (this.type === "doc-end" && top?.type !== "doc-end") {
          while (this.stack.length > 0)
            yield* this.pop();
          this.stack.push({
            type: "doc-end",
            offset: this.offset,
            source: this.source
          });
          return;
        }
        if (!top)
          return yield* this.stream();
        switch (top.type) {
          case "document":
            return yield* this.document(top);
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return yield* this.scalar(top);
          case "block-scalar":
            return yield* this.blockScalar(top);
          case "block-map":
            return yield* this.blockMap(top);
          case "block-seq":
            return yield* this.blockSequence(top);
          case "flow-collection":
            return yield* this.flowCollection(top);
          case "doc-end":
            return yield* this.documentEnd(top);
        }
        yield* this.pop();
      }
      peek(n) {
        return this.stack[this.stack.length - n];
      }
      *pop(error2) {
        const token = error2 ?? this.stack.pop();
        if (!token) {
          const message = "Tried to pop an empty stack";
          yield { type: "error", offset: this.offset, source: "", message };
        } else if (this.stack.length === 0) {
          yield token;
        } else {
          const top = this.peek(1);
          if (token.type === "block-scalar") {
            token.indent = "indent" in top ? top.indent : 0;
          } else if (token.type === "flow-collection" && top.type === "document") {
            token.indent = 0;
          }
          if (token.type === "flow-collection")
            fixFlowSeqItems(token);
          switch (top.type) {
            case "document":
              top.value = token;
              break;
            case "block-scalar":
              top.props.push(token);
              break;
            case "block-map": {
              const it2 = top.items[top.items.length - 1];
              if (it2.value) {
                top.items.push({ start: [], key: token, sep: [] });
                this.onKeyLine = true;
                return;
              } else if (it2.sep) {
                it2.value = token;
              } else {
                Object.assign(it2, { key: token, sep: [] });
                this.onKeyLine = !it2.explicitKey;
                return;
              }
              break;
            }
            case "block-seq": {
              const it2 = top.items[top.items.length - 1];
              if (it2.value)
                top.items.push({ start: [], value: token });
              else
                it2.value = token;
              break;
            }
            case "flow-collection": {
              const it2 = top.items[top.items.length - 1];
              if (!it2 || it2.value)
                top.items.push({ start: [], key: token, sep: [] });
              else if (it2.sep)
                it2.value = token;
              else
                Object.assign(it2, { key: token, sep: [] });
              return;
            }
            /* istanbul ignore next should not happen */
            default:
              yield* this.pop();
              yield* this.pop(token);
          }
          if ((top.type === "document" || top.type === "block-map" || top.type === "block-seq") && (token.type === "block-map" || token.type === "block-seq")) {
            const last = token.items[token.items.length - 1];
            if (last && !last.sep && !last.value && last.start.length > 0 && findNonEmptyIndex(last.start) === -1 && (token.indent === 0 || last.start.every((st2) => st2.type !== "comment" || st2.indent < token.indent))) {
              if (top.type === "document")
                top.end = last.start;
              else
                top.items.push({ start: last.start });
              token.items.splice(-1, 1);
            }
          }
        }
      }
      *stream() {
        switch (this.type) {
          case "directive-line":
            yield { type: "directive", offset: this.offset, source: this.source };
            return;
          case "byte-order-mark":
          case "space":
          case "comment":
          case "newline":
            yield this.sourceToken;
            return;
          case "doc-mode":
          case "doc-start": {
            const doc = {
              type: "document",
              offset: this.offset,
              start: []
            };
            if (this.type === "doc-start")
              doc.start.push(this.sourceToken);
            this.stack.push(doc);
            return;
          }
        }
        yield {
          type: "error",
          offset: this.offset,
          message: `Unexpected ${this.type} token in YAML stream`,
          source: this.source
        };
      }
      *document(doc) {
        if (doc.value)
          return yield* this.lineEnd(doc);
        switch (this.type) {
          case "doc-start": {
            if (findNonEmptyIndex(doc.start) !== -1) {
              yield* this.pop();
              yield* this.step();
            } else
              doc.start.push(this.sourceToken);
            return;
          }
          case "anchor":
          case "tag":
          case "space":
          case "comment":
          case "newline":
            doc.start.push(this.sourceToken);
            return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
          this.stack.push(bv);
        else {
          yield {
            type: "error",
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML document`,
            source: this.source
          };
        }
      }
      *scalar(scalar) {
        if (this.type === "map-value-ind") {
          const prev = getPrevProps(this.peek(2));
          const start = getFirstKeyStartProps(prev);
          let sep6;
          if (scalar.end) {
            sep6 = scalar.end;
            sep6.push(this.sourceToken);
            delete scalar.end;
          } else
            sep6 = [this.sourceToken];
          const map = {
            type: "block-map",
            offset: scalar.offset,
            indent: scalar.indent,
            items: [{ start, key: scalar, sep: sep6 }]
          };
          this.onKeyLine = true;
          this.stack[this.stack.length - 1] = map;
        } else
          yield* this.lineEnd(scalar);
      }
      *blockScalar(scalar) {
        switch (this.type) {
          case "space":
          case "comment":
          case "newline":
            scalar.props.push(this.sourceToken);
            return;
          case "scalar":
            scalar.source = this.source;
            this.atNewLine = true;
            this.indent = 0;
            if (this.onNewLine) {
              let nl = this.source.indexOf("\n") + 1;
              while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf("\n", nl) + 1;
              }
            }
            yield* this.pop();
            break;
          /* istanbul ignore next should not happen */
          default:
            yield* this.pop();
            yield* this.step();
        }
      }
      *blockMap(map) {
        const it2 = map.items[map.items.length - 1];
        switch (this.type) {
          case "newline":
            this.onKeyLine = false;
            if (it2.value) {
              const end = "end" in it2.value ? it2.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                map.items.push({ start: [this.sourceToken] });
            } else if (it2.sep) {
              it2.sep.push(this.sourceToken);
            } else {
              it2.start.push(this.sourceToken);
            }
            return;
          case "space":
          case "comment":
            if (it2.value) {
              map.items.push({ start: [this.sourceToken] });
            } else if (it2.sep) {
              it2.sep.push(this.sourceToken);
            } else {
              if (this.atIndentedComment(it2.start, map.indent)) {
                const prev = map.items[map.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it2.start);
                  end.push(this.sourceToken);
                  map.items.pop();
                  return;
                }
              }
              it2.start.push(this.sourceToken);
            }
            return;
        }
        if (this.indent >= map.indent) {
          const atMapIndent = !this.onKeyLine && this.indent === map.indent;
          const atNextItem = atMapIndent && (it2.sep || it2.explicitKey) && this.type !== "seq-item-ind";
          let start = [];
          if (atNextItem && it2.sep && !it2.value) {
            const nl = [];
            for (let i = 0; i < it2.sep.length; ++i) {
              const st2 = it2.sep[i];
              switch (st2.type) {
                case "newline":
                  nl.push(i);
                  break;
                case "space":
                  break;
                case "comment":
                  if (st2.indent > map.indent)
                    nl.length = 0;
                  break;
                default:
                  nl.length = 0;
              }
            }
            if (nl.length >= 2)
              start = it2.sep.splice(nl[1]);
          }
          switch (this.type) {
            case "anchor":
            case "tag":
              if (atNextItem || it2.value) {
                start.push(this.sourceToken);
                map.items.push({ start });
                this.onKeyLine = true;
              } else if (it2.sep) {
                it2.sep.push(this.sourceToken);
              } else {
                it2.start.push(this.sourceToken);
              }
              return;
            case "explicit-key-ind":
              if (!it2.sep && !it2.explicitKey) {
                it2.start.push(this.sourceToken);
                it2.explicitKey = true;
              } else if (atNextItem || it2.value) {
                start.push(this.sourceToken);
                map.items.push({ start, explicitKey: true });
              } else {
                this.stack.push({
                  type: "block-map",
                  offset: this.offset,
                  indent: this.indent,
                  items: [{ start: [this.sourceToken], explicitKey: true }]
                });
              }
              this.onKeyLine = true;
              return;
            case "map-value-ind":
              if (it2.explicitKey) {
                if (!it2.sep) {
                  if (includesToken(it2.start, "newline")) {
                    Object.assign(it2, { key: null, sep: [this.sourceToken] });
                  } else {
                    const start2 = getFirstKeyStartProps(it2.start);
                    this.stack.push({
                      type: "block-map",
                      offset: this.offset,
                      indent: this.indent,
                      items: [{ start: start2, key: null, sep: [this.sourceToken] }]
                    });
                  }
                } else if (it2.value) {
                  map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                } else if (includesToken(it2.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                  });
                } else if (isFlowToken(it2.key) && !includesToken(it2.sep, "newline")) {
                  const start2 = getFirstKeyStartProps(it2.start);
                  const key = it2.key;
                  const sep6 = it2.sep;
                  sep6.push(this.sourceToken);
                  delete it2.key;
                  delete it2.sep;
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: start2, key, sep: sep6 }]
                  });
                } else if (start.length > 0) {
                  it2.sep = it2.sep.concat(start, this.sourceToken);
                } else {
                  it2.sep.push(this.sourceToken);
                }
              } else {
                if (!it2.sep) {
                  Object.assign(it2, { key: null, sep: [this.sourceToken] });
                } else if (it2.value || atNextItem) {
                  map.items.push({ start, key: null, sep: [this.sourceToken] });
                } else if (includesToken(it2.sep, "map-value-ind")) {
                  this.stack.push({
                    type: "block-map",
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [], key: null, sep: [this.sourceToken] }]
                  });
                } else {
                  it2.sep.push(this.sourceToken);
                }
              }
              this.onKeyLine = true;
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs4 = this.flowScalar(this.type);
              if (atNextItem || it2.value) {
                map.items.push({ start, key: fs4, sep: [] });
                this.onKeyLine = true;
              } else if (it2.sep) {
                this.stack.push(fs4);
              } else {
                Object.assign(it2, { key: fs4, sep: [] });
                this.onKeyLine = true;
              }
              return;
            }
            default: {
              const bv = this.startBlockValue(map);
              if (bv) {
                if (bv.type === "block-seq") {
                  if (!it2.explicitKey && it2.sep && !includesToken(it2.sep, "newline")) {
                    yield* this.pop({
                      type: "error",
                      offset: this.offset,
                      message: "Unexpected block-seq-ind on same line with key",
                      source: this.source
                    });
                    return;
                  }
                } else if (atMapIndent) {
                  map.items.push({ start });
                }
                this.stack.push(bv);
                return;
              }
            }
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *blockSequence(seq) {
        const it2 = seq.items[seq.items.length - 1];
        switch (this.type) {
          case "newline":
            if (it2.value) {
              const end = "end" in it2.value ? it2.value.end : void 0;
              const last = Array.isArray(end) ? end[end.length - 1] : void 0;
              if (last?.type === "comment")
                end?.push(this.sourceToken);
              else
                seq.items.push({ start: [this.sourceToken] });
            } else
              it2.start.push(this.sourceToken);
            return;
          case "space":
          case "comment":
            if (it2.value)
              seq.items.push({ start: [this.sourceToken] });
            else {
              if (this.atIndentedComment(it2.start, seq.indent)) {
                const prev = seq.items[seq.items.length - 2];
                const end = prev?.value?.end;
                if (Array.isArray(end)) {
                  arrayPushArray(end, it2.start);
                  end.push(this.sourceToken);
                  seq.items.pop();
                  return;
                }
              }
              it2.start.push(this.sourceToken);
            }
            return;
          case "anchor":
          case "tag":
            if (it2.value || this.indent <= seq.indent)
              break;
            it2.start.push(this.sourceToken);
            return;
          case "seq-item-ind":
            if (this.indent !== seq.indent)
              break;
            if (it2.value || includesToken(it2.start, "seq-item-ind"))
              seq.items.push({ start: [this.sourceToken] });
            else
              it2.start.push(this.sourceToken);
            return;
        }
        if (this.indent > seq.indent) {
          const bv = this.startBlockValue(seq);
          if (bv) {
            this.stack.push(bv);
            return;
          }
        }
        yield* this.pop();
        yield* this.step();
      }
      *flowCollection(fc) {
        const it2 = fc.items[fc.items.length - 1];
        if (this.type === "flow-error-end") {
          let top;
          do {
            yield* this.pop();
            top = this.peek(1);
          } while (top?.type === "flow-collection");
        } else if (fc.end.length === 0) {
          switch (this.type) {
            case "comma":
            case "explicit-key-ind":
              if (!it2 || it2.sep)
                fc.items.push({ start: [this.sourceToken] });
              else
                it2.start.push(this.sourceToken);
              return;
            case "map-value-ind":
              if (!it2 || it2.value)
                fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
              else if (it2.sep)
                it2.sep.push(this.sourceToken);
              else
                Object.assign(it2, { key: null, sep: [this.sourceToken] });
              return;
            case "space":
            case "comment":
            case "newline":
            case "anchor":
            case "tag":
              if (!it2 || it2.value)
                fc.items.push({ start: [this.sourceToken] });
              else if (it2.sep)
                it2.sep.push(this.sourceToken);
              else
                it2.start.push(this.sourceToken);
              return;
            case "alias":
            case "scalar":
            case "single-quoted-scalar":
            case "double-quoted-scalar": {
              const fs4 = this.flowScalar(this.type);
              if (!it2 || it2.value)
                fc.items.push({ start: [], key: fs4, sep: [] });
              else if (it2.sep)
                this.stack.push(fs4);
              else
                Object.assign(it2, { key: fs4, sep: [] });
              return;
            }
            case "flow-map-end":
            case "flow-seq-end":
              fc.end.push(this.sourceToken);
              return;
          }
          const bv = this.startBlockValue(fc);
          if (bv)
            this.stack.push(bv);
          else {
            yield* this.pop();
            yield* this.step();
          }
        } else {
          const parent = this.peek(2);
          if (parent.type === "block-map" && (this.type === "map-value-ind" && parent.indent === fc.indent || this.type === "newline" && !parent.items[parent.items.length - 1].sep)) {
            yield* this.pop();
            yield* this.step();
          } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            fixFlowSeqItems(fc);
            const sep6 = fc.end.splice(1, fc.end.length);
            sep6.push(this.sourceToken);
            const map = {
              type: "block-map",
              offset: fc.offset,
              indent: fc.indent,
              items: [{ start, key: fc, sep: sep6 }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
          } else {
            yield* this.lineEnd(fc);
          }
        }
      }
      flowScalar(type) {
        if (this.onNewLine) {
          let nl = this.source.indexOf("\n") + 1;
          while (nl !== 0) {
            this.onNewLine(this.offset + nl);
            nl = this.source.indexOf("\n", nl) + 1;
          }
        }
        return {
          type,
          offset: this.offset,
          indent: this.indent,
          source: this.source
        };
      }
      startBlockValue(parent) {
        switch (this.type) {
          case "alias":
          case "scalar":
          case "single-quoted-scalar":
          case "double-quoted-scalar":
            return this.flowScalar(this.type);
          case "block-scalar-header":
            return {
              type: "block-scalar",
              offset: this.offset,
              indent: this.indent,
              props: [this.sourceToken],
              source: ""
            };
          case "flow-map-start":
          case "flow-seq-start":
            return {
              type: "flow-collection",
              offset: this.offset,
              indent: this.indent,
              start: this.sourceToken,
              items: [],
              end: []
            };
          case "seq-item-ind":
            return {
              type: "block-seq",
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [this.sourceToken] }]
            };
          case "explicit-key-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            start.push(this.sourceToken);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, explicitKey: true }]
            };
          }
          case "map-value-ind": {
            this.onKeyLine = true;
            const prev = getPrevProps(parent);
            const start = getFirstKeyStartProps(prev);
            return {
              type: "block-map",
              offset: this.offset,
              indent: this.indent,
              items: [{ start, key: null, sep: [this.sourceToken] }]
            };
          }
        }
        return null;
      }
      atIndentedComment(start, indent) {
        if (this.type !== "comment")
          return false;
        if (this.indent <= indent)
          return false;
        return start.every((st2) => st2.type === "newline" || st2.type === "space");
      }
      *documentEnd(docEnd) {
        if (this.type !== "doc-mode") {
          if (docEnd.end)
            docEnd.end.push(this.sourceToken);
          else
            docEnd.end = [this.sourceToken];
          if (this.type === "newline")
            yield* this.pop();
        }
      }
      *lineEnd(token) {
        switch (this.type) {
          case "comma":
          case "doc-start":
          case "doc-end":
          case "flow-seq-end":
          case "flow-map-end":
          case "map-value-ind":
            yield* this.pop();
            yield* this.step();
            break;
          case "newline":
            this.onKeyLine = false;
          // fallthrough
          case "space":
          case "comment":
          default:
            if (token.end)
              token.end.push(this.sourceToken);
            else
              token.end = [this.sourceToken];
            if (this.type === "newline")
              yield* this.pop();
        }
      }
    };
    exports.Parser = Parser;
  }
});

// node_modules/yaml/dist/public-api.js
var require_public_api = __commonJS({
  "node_modules/yaml/dist/public-api.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var errors = require_errors();
    var log = require_log();
    var identity = require_identity();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    function parseOptions(options) {
      const prettyErrors = options.prettyErrors !== false;
      const lineCounter$1 = options.lineCounter || prettyErrors && new lineCounter.LineCounter() || null;
      return { lineCounter: lineCounter$1, prettyErrors };
    }
    function parseAllDocuments(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      const docs = Array.from(composer$1.compose(parser$1.parse(source)));
      if (prettyErrors && lineCounter2)
        for (const doc of docs) {
          doc.errors.forEach(errors.prettifyError(source, lineCounter2));
          doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
        }
      if (docs.length > 0)
        return docs;
      return Object.assign([], { empty: true }, composer$1.streamInfo());
    }
    function parseDocument2(source, options = {}) {
      const { lineCounter: lineCounter2, prettyErrors } = parseOptions(options);
      const parser$1 = new parser.Parser(lineCounter2?.addNewLine);
      const composer$1 = new composer.Composer(options);
      let doc = null;
      for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
          doc = _doc;
        else if (doc.options.logLevel !== "silent") {
          doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), "MULTIPLE_DOCS", "Source contains multiple documents; please use YAML.parseAllDocuments()"));
          break;
        }
      }
      if (prettyErrors && lineCounter2) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter2));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter2));
      }
      return doc;
    }
    function parse(src, reviver, options) {
      let _reviver = void 0;
      if (typeof reviver === "function") {
        _reviver = reviver;
      } else if (options === void 0 && reviver && typeof reviver === "object") {
        options = reviver;
      }
      const doc = parseDocument2(src, options);
      if (!doc)
        return null;
      doc.warnings.forEach((warning2) => log.warn(doc.options.logLevel, warning2));
      if (doc.errors.length > 0) {
        if (doc.options.logLevel !== "silent")
          throw doc.errors[0];
        else
          doc.errors = [];
      }
      return doc.toJS(Object.assign({ reviver: _reviver }, options));
    }
    function stringify(value, replacer, options) {
      let _replacer = null;
      if (typeof replacer === "function" || Array.isArray(replacer)) {
        _replacer = replacer;
      } else if (options === void 0 && replacer) {
        options = replacer;
      }
      if (typeof options === "string")
        options = options.length;
      if (typeof options === "number") {
        const indent = Math.round(options);
        options = indent < 1 ? void 0 : indent > 8 ? { indent: 8 } : { indent };
      }
      if (value === void 0) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
          return void 0;
      }
      if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
      return new Document.Document(value, _replacer, options).toString(options);
    }
    exports.parse = parse;
    exports.parseAllDocuments = parseAllDocuments;
    exports.parseDocument = parseDocument2;
    exports.stringify = stringify;
  }
});

// node_modules/yaml/dist/index.js
var require_dist = __commonJS({
  "node_modules/yaml/dist/index.js"(exports) {
    "use strict";
    var composer = require_composer();
    var Document = require_Document();
    var Schema = require_Schema();
    var errors = require_errors();
    var Alias = require_Alias();
    var identity = require_identity();
    var Pair = require_Pair();
    var Scalar = require_Scalar();
    var YAMLMap = require_YAMLMap();
    var YAMLSeq = require_YAMLSeq();
    var cst = require_cst();
    var lexer = require_lexer();
    var lineCounter = require_line_counter();
    var parser = require_parser();
    var publicApi = require_public_api();
    var visit = require_visit();
    exports.Composer = composer.Composer;
    exports.Document = Document.Document;
    exports.Schema = Schema.Schema;
    exports.YAMLError = errors.YAMLError;
    exports.YAMLParseError = errors.YAMLParseError;
    exports.YAMLWarning = errors.YAMLWarning;
    exports.Alias = Alias.Alias;
    exports.isAlias = identity.isAlias;
    exports.isCollection = identity.isCollection;
    exports.isDocument = identity.isDocument;
    exports.isMap = identity.isMap;
    exports.isNode = identity.isNode;
    exports.isPair = identity.isPair;
    exports.isScalar = identity.isScalar;
    exports.isSeq = identity.isSeq;
    exports.Pair = Pair.Pair;
    exports.Scalar = Scalar.Scalar;
    exports.YAMLMap = YAMLMap.YAMLMap;
    exports.YAMLSeq = YAMLSeq.YAMLSeq;
    exports.CST = cst;
    exports.Lexer = lexer.Lexer;
    exports.LineCounter = lineCounter.LineCounter;
    exports.Parser = parser.Parser;
    exports.parse = publicApi.parse;
    exports.parseAllDocuments = publicApi.parseAllDocuments;
    exports.parseDocument = publicApi.parseDocument;
    exports.stringify = publicApi.stringify;
    exports.visit = visit.visit;
    exports.visitAsync = visit.visitAsync;
  }
});

// node_modules/@actions/core/lib/command.js
import * as os from "os";

// node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P2, generator) {
  function adopt(value) {
    return value instanceof P2 ? value : new P2(function(resolve5) {
      resolve5(value);
    });
  }
  return new (P2 || (P2 = Promise))(function(resolve5, reject2) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject2(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject2(e);
      }
    }
    function step(result) {
      result.done ? resolve5(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a2) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text2, addEOL = false) {
    this._buffer += text2;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text2, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text2);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text2, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text2, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text2, href) {
    const element = this.wrap("a", text2, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// node_modules/@actions/core/lib/platform.js
import os3 from "os";

// node_modules/@actions/io/lib/io-util.js
import * as fs2 from "fs";
var { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs2.promises;
var IS_WINDOWS = process.platform === "win32";
var READONLY = fs2.constants.O_RDONLY;

// node_modules/@actions/exec/lib/toolrunner.js
var IS_WINDOWS2 = process.platform === "win32";

// node_modules/@actions/core/lib/platform.js
var platform = os3.platform();
var arch = os3.arch();

// node_modules/@actions/core/lib/core.js
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setSecret(secret) {
  issueCommand("add-mask", {}, secret);
}
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function debug(message) {
  issueCommand("debug", {}, message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}

// src/action/action-input-error.ts
var ActionInputError = class extends Error {
  name = "ActionInputError";
  /** The input's name as written in the workflow, e.g. `retries`, `tls-verify`. */
  input;
  constructor(input, detail) {
    super(`Input "${input}": ${detail}`);
    this.input = input;
  }
};
function fromMimeInputError(error2, input) {
  const prefix = `${error2.field}: `;
  const why = error2.message.startsWith(prefix) ? error2.message.slice(prefix.length) : error2.message;
  return new ActionInputError(input, why);
}

// src/action/constants.ts
var Inputs = {
  server: "server",
  port: "port",
  tls: "tls",
  tlsVerify: "tls-verify",
  tlsCa: "tls-ca",
  tlsServername: "tls-servername",
  connectionUrl: "connection-url",
  username: "username",
  password: "password",
  auth: "auth",
  ehloName: "ehlo-name",
  proxy: "proxy",
  from: "from",
  to: "to",
  cc: "cc",
  bcc: "bcc",
  replyTo: "reply-to",
  subject: "subject",
  body: "body",
  htmlBody: "html-body",
  bodyFile: "body-file",
  htmlBodyFile: "html-body-file",
  markdown: "markdown",
  attachments: "attachments",
  ifNoFilesFound: "if-no-files-found",
  attachmentsMaxSize: "attachments-max-size",
  headers: "headers",
  priority: "priority",
  inReplyTo: "in-reply-to",
  thread: "thread",
  vars: "vars",
  status: "status",
  onRejectedRecipient: "on-rejected-recipient",
  retries: "retries",
  timeout: "timeout",
  mode: "mode",
  transcript: "transcript"
};
var Outputs = {
  messageId: "message-id",
  accepted: "accepted",
  rejected: "rejected",
  response: "response",
  result: "result",
  attempts: "attempts",
  emlPath: "eml-path"
};
var Choices = {
  tls: ["auto", "starttls", "implicit", "none"],
  auth: ["auto", "plain", "login", "cram-md5", "scram-sha-256", "xoauth2"],
  priority: ["high", "normal", "low"],
  ifNoFilesFound: ["warn", "error", "ignore"],
  onRejectedRecipient: ["fail", "warn"],
  mode: ["send", "dry-run", "verify"]
};
var Ranges = {
  port: { min: 1, max: 65535 },
  retries: { min: 0, max: 10 },
  timeout: { min: 1, max: 3600 }
};
var Defaults = {
  tls: "auto",
  tlsVerify: true,
  auth: "auto",
  markdown: false,
  ifNoFilesFound: "warn",
  /** 25 MB, the attachment limit of the large free mail services. */
  attachmentsMaxSize: "25MB",
  priority: "normal",
  thread: false,
  onRejectedRecipient: "fail",
  retries: 2,
  timeout: 300,
  mode: "send",
  transcript: false
};
var Ports = { implicit: 465, submission: 587, relay: 25 };
var PROXY_ENV = "SMTP_PROXY";

// src/action/dry-run.ts
import { writeFile as writeFile2 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// src/mime/compose.ts
import { randomBytes as cryptoRandomBytes } from "node:crypto";

// src/mime/domain.ts
import { domainToASCII, domainToUnicode } from "node:url";

// src/mime/errors.ts
var MimeInputError = class extends Error {
  name = "MimeInputError";
  /** The field the bad value was given for, e.g. `to`, `subject`, `headers`. */
  field;
  constructor(field, message) {
    super(`${field}: ${message}`);
    this.field = field;
  }
};

// src/mime/quoted-value.ts
var LEFT_RAW_BY_JSON = /[\u007f-\u009f\u2028\u2029]/g;
function quoteValue(value) {
  return JSON.stringify(value).replace(
    LEFT_RAW_BY_JSON,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}

// src/mime/domain.ts
var HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
var MAX_DOMAIN_OCTETS = 255;
var ASCII_ONLY = new RegExp("^\\p{ASCII}*$", "u");
var A_LABEL = /^xn--/i;
function toAsciiDomain(domain, field, entry = domain) {
  const fail2 = (why) => {
    throw new MimeInputError(
      field,
      `${quoteValue(entry)}: ${why}. Expected a host name such as example.com.`
    );
  };
  if (domain === "") fail2("the domain is missing");
  const ascii2 = ASCII_ONLY.test(domain) ? domain : domainToASCII(domain);
  if (ascii2 === "") fail2(`${quoteValue(domain)} is not a valid international domain name`);
  if (ascii2.length > MAX_DOMAIN_OCTETS) {
    fail2(`the domain is longer than ${MAX_DOMAIN_OCTETS} characters`);
  }
  for (const label of ascii2.split(".")) {
    if (A_LABEL.test(label) && !isALabel(label)) {
      fail2(`the domain label ${quoteValue(label)} is not valid Punycode (RFC 5891 5.4)`);
    }
    if (!HOST_LABEL.test(label)) {
      fail2(
        label === "" ? "the domain has an empty label (a leading, trailing or doubled dot)" : `the domain label ${quoteValue(label)} is not a valid host name label`
      );
    }
  }
  return ascii2;
}
function isALabel(label) {
  const unicode = domainToUnicode(label);
  return unicode !== "" && !A_LABEL.test(unicode) && domainToASCII(unicode) === label.toLowerCase();
}

// src/mime/encoded-word.ts
var MAX_WORD_LENGTH = 75;
var PREFIX_LENGTH = "=?UTF-8?B?".length;
var SUFFIX = "?=";
var MAX_PAYLOAD = MAX_WORD_LENGTH - PREFIX_LENGTH - SUFFIX.length;
var MIN_PAYLOAD = 8;
var SPACE = 32;
var utf8 = new TextEncoder();
var graphemes = new Intl.Segmenter(void 0, { granularity: "grapheme" });
function isQLiteral(byte, context) {
  if (byte === SPACE) return true;
  if (context === "phrase") {
    return /^[A-Za-z0-9!*+\-/]$/.test(String.fromCharCode(byte));
  }
  return byte > SPACE && byte < 127 && !"=?_".includes(String.fromCharCode(byte));
}
function qLength(bytes, context) {
  let length = 0;
  for (const byte of bytes) length += isQLiteral(byte, context) ? 1 : 3;
  return length;
}
function bLength(byteCount) {
  return 4 * Math.ceil(byteCount / 3);
}
function encodeQ(bytes, context) {
  let out = "";
  for (const byte of bytes) {
    if (byte === SPACE) out += "_";
    else if (isQLiteral(byte, context)) out += String.fromCharCode(byte);
    else out += `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
function toUnit(text2, context) {
  const bytes = utf8.encode(text2);
  return { bytes, qLength: qLength(bytes, context) };
}
function splitUnits(text2, context) {
  const units = [];
  for (const { segment } of graphemes.segment(text2)) {
    const unit = toUnit(segment, context);
    if (Math.min(unit.qLength, bLength(unit.bytes.length)) <= MAX_PAYLOAD) {
      units.push(unit);
    } else {
      for (const codePoint of segment) units.push(toUnit(codePoint, context));
    }
  }
  return units;
}
function concatBytes(units) {
  const total = units.reduce((sum, unit) => sum + unit.bytes.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const unit of units) {
    bytes.set(unit.bytes, offset);
    offset += unit.bytes.length;
  }
  return bytes;
}
function encodeChunk(units, context) {
  const bytes = concatBytes(units);
  const q2 = units.reduce((sum, unit) => sum + unit.qLength, 0);
  if (q2 <= bLength(bytes.length)) return `=?UTF-8?Q?${encodeQ(bytes, context)}${SUFFIX}`;
  return `=?UTF-8?B?${Buffer.from(bytes).toString("base64")}${SUFFIX}`;
}
function firstPayload(firstWordMax) {
  const room = Math.min(firstWordMax, MAX_WORD_LENGTH) - PREFIX_LENGTH - SUFFIX.length;
  return room < MIN_PAYLOAD ? MAX_PAYLOAD : room;
}
function encodeWords(text2, context, firstWordMax = MAX_WORD_LENGTH) {
  const words = [];
  let chunk = [];
  let byteCount = 0;
  let q2 = 0;
  for (const unit of splitUnits(text2, context)) {
    const nextBytes = byteCount + unit.bytes.length;
    const nextQ = q2 + unit.qLength;
    const payload = words.length === 0 ? firstPayload(firstWordMax) : MAX_PAYLOAD;
    if (chunk.length > 0 && Math.min(nextQ, bLength(nextBytes)) > payload) {
      words.push(encodeChunk(chunk, context));
      chunk = [];
      byteCount = 0;
      q2 = 0;
    }
    chunk.push(unit);
    byteCount += unit.bytes.length;
    q2 += unit.qLength;
  }
  if (chunk.length > 0) words.push(encodeChunk(chunk, context));
  return words;
}
var NOT_PLAIN = /[^\t\x20-\x7e]/;
var LOOKS_ENCODED = /=\?[\s\S]*\?=/;
var UNFOLDABLE_RUN = /[^ \t]{998,}/;
function needsEncoding(text2) {
  return NOT_PLAIN.test(text2) || LOOKS_ENCODED.test(text2) || UNFOLDABLE_RUN.test(text2);
}

// src/mime/address.ts
var EXPECTED = 'Expected a@example.com, Name <a@example.com> or "Last, First" <a@example.com>, separated by commas or new lines.';
var ATEXT_CHAR = String.raw`[A-Za-z0-9!#$%&'*+/=?^_\x60{|}~-]`;
var LOCAL_CHAR = String.raw`(?:${ATEXT_CHAR}|[^\p{ASCII}\p{White_Space}\p{Cc}\p{Cf}\p{Cs}])`;
var LOCAL_PART = new RegExp(String.raw`^${LOCAL_CHAR}+(?:\.${LOCAL_CHAR}+)*$`, "u");
var ATOM_PHRASE = new RegExp(String.raw`^${ATEXT_CHAR}+(?: ${ATEXT_CHAR}+)*$`);
var FORBIDDEN = /[\p{Cc}\u2028\u2029\p{Cs}]/u;
var NON_ASCII = new RegExp("\\P{ASCII}", "u");
var MAX_LOCAL_OCTETS = 64;
function reject(field, entry, why) {
  throw new MimeInputError(field, `${quoteValue(entry)}: ${why}. ${EXPECTED}`);
}
function trimBlanks(text2) {
  return text2.replace(/^[ \t]+|[ \t]+$/g, "");
}
function splitEntries(input, field) {
  const entries = [];
  let current = "";
  let inQuote = false;
  let escaped = false;
  let inAngle = false;
  for (const char of input) {
    if (inQuote) {
      if (char === "\r" || char === "\n") reject(field, current, "a quoted name is not closed");
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inQuote = false;
    } else if (char === '"') inQuote = true;
    else if (char === "<") inAngle = true;
    else if (char === ">") inAngle = false;
    else if (!inAngle && (char === "," || char === "\n" || char === "\r")) {
      entries.push(current);
      current = "";
      continue;
    }
    current += char;
  }
  if (inQuote) reject(field, current, "a quoted name is not closed");
  entries.push(current);
  return entries.map(trimBlanks).filter((entry) => entry !== "");
}
function parseAddrSpec(spec, field, entry) {
  const fail2 = (why) => reject(field, entry, why);
  if (spec === "") fail2("the address is empty");
  if (spec.includes('"')) fail2('quoted local parts ("..."@example.com) are not accepted');
  if (spec.startsWith("@") && spec.includes(":")) {
    fail2("route addresses (<@relay:a@example.com>) are not accepted");
  }
  if (/[:;]/.test(spec)) fail2("group syntax (name: a@example.com;) is not accepted");
  if (/[()]/.test(spec)) fail2("comments in parentheses are not accepted");
  if (/[\s]/u.test(spec)) fail2("an address cannot contain spaces; put a name before <address>");
  if (/[[\]]/.test(spec)) fail2("domain literals ([192.0.2.1]) are not accepted");
  if (/[<>,\\]/.test(spec)) fail2("the address contains <, >, comma or backslash");
  const parts = spec.split("@");
  if (parts.length === 1) fail2("the address has no @domain");
  if (parts.length > 2) fail2("the address has more than one @");
  const [local = "", domain = ""] = parts;
  if (local === "") fail2("the part before @ is empty");
  if (!LOCAL_PART.test(local)) {
    fail2(`${quoteValue(local)} is not a valid local part (dots only between characters)`);
  }
  if (Buffer.byteLength(local, "utf8") > MAX_LOCAL_OCTETS) {
    fail2(`the part before @ is longer than ${MAX_LOCAL_OCTETS} bytes`);
  }
  const asciiDomain = toAsciiDomain(domain, field, entry);
  return { address: `${local}@${asciiDomain}`, needsSmtpUtf8: NON_ASCII.test(local) };
}
function parseAngleAddr(text2, field, entry) {
  const close = text2.indexOf(">");
  if (close === -1) reject(field, entry, "the < has no matching >");
  const inner = text2.slice(1, close);
  if (inner.includes("<")) reject(field, entry, "an entry holds more than one <...>");
  const after = trimBlanks(text2.slice(close + 1));
  if (after.includes("<")) reject(field, entry, "an entry holds more than one <...>");
  if (after !== "") reject(field, entry, "there is text after the >");
  return parseAddrSpec(inner, field, entry);
}
function readQuotedName(entry) {
  let name = "";
  for (let i = 1; i < entry.length; i += 1) {
    const char = entry.charAt(i);
    if (char === '"') return { name, rest: entry.slice(i + 1) };
    if (char === "\\") i += 1;
    name += entry.charAt(i);
  }
  return { name, rest: "" };
}
function checkUnquotedName(name, field, entry) {
  const fail2 = (why) => reject(field, entry, why);
  if (/[()]/.test(name)) {
    fail2("comments in parentheses are not accepted; put a name with parentheses in quotes");
  }
  if (/[:;]/.test(name)) fail2("group syntax (name: a@example.com;) is not accepted");
  if (name.includes("@")) {
    fail2("the name holds an @: put a comma between two addresses, or put the name in quotes");
  }
  if (/[[\]\\>]/.test(name)) fail2("the name holds [, ], \\ or >; put such a name in quotes");
}
function withName(name, mailbox) {
  const cleaned = trimBlanks(name.replace(/\t/g, " "));
  return cleaned === "" ? { ...mailbox } : { name: cleaned, ...mailbox };
}
function parseEntry(entry, field) {
  if (FORBIDDEN.test(entry.replace(/\t/g, " "))) {
    reject(field, entry, "control characters and line separators are not accepted");
  }
  if (entry.startsWith('"')) {
    const { name: name2, rest } = readQuotedName(entry);
    const tail = trimBlanks(rest);
    if (tail.startsWith("@")) reject(field, entry, "quoted local parts are not accepted");
    if (!tail.startsWith("<")) reject(field, entry, "a quoted name must be followed by <address>");
    return withName(name2, parseAngleAddr(tail, field, entry));
  }
  const open3 = entry.indexOf("<");
  if (open3 === -1) {
    if (entry.includes(">")) reject(field, entry, "there is a > without a <");
    return parseAddrSpec(entry, field, entry);
  }
  const name = entry.slice(0, open3).replace(/[ \t]+/g, " ");
  if (name.includes('"')) reject(field, entry, "quote the whole name or none of it");
  checkUnquotedName(name, field, entry);
  return withName(name, parseAngleAddr(entry.slice(open3), field, entry));
}
function parseAddressList(input, field) {
  return splitEntries(input, field).map((entry) => parseEntry(entry, field));
}
function parseMailbox(input, field) {
  const mailboxes = parseAddressList(input, field);
  if (mailboxes.length !== 1) {
    throw new MimeInputError(
      field,
      `${quoteValue(input)}: expected exactly one address, found ${mailboxes.length}. Expected a@example.com or Name <a@example.com>.`
    );
  }
  return mailboxes[0];
}
function formatMailbox(mailbox, field = "address", firstWordMax) {
  const { address } = parseAddrSpec(mailbox.address, field, mailbox.address);
  const name = mailbox.name ?? "";
  if (FORBIDDEN.test(name)) {
    reject(field, name, "a display name cannot hold control characters or line separators");
  }
  if (name === "") return address;
  if (needsEncoding(name)) {
    return `${encodeWords(name, "phrase", firstWordMax).join(" ")} <${address}>`;
  }
  if (ATOM_PHRASE.test(name)) return `${name} <${address}>`;
  return `"${name.replace(/["\\]/g, "\\$&")}" <${address}>`;
}

// src/mime/date.ts
var MIN_YEAR = 1900;
var MAX_YEAR = 9999;
var MESSAGE_ID_RANDOM_BYTES = 16;
function formatDate(date) {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new MimeInputError(
      "date",
      `${String(date)} cannot be written as a message date: expected a valid date between ${MIN_YEAR} and ${MAX_YEAR}`
    );
  }
  return date.toUTCString().replace(/ GMT$/, " +0000");
}
function createMessageId(domain, randomBytes2) {
  const asciiDomain = toAsciiDomain(domain, "message-id");
  const bytes = randomBytes2(MESSAGE_ID_RANDOM_BYTES);
  if (bytes.length < MESSAGE_ID_RANDOM_BYTES) {
    throw new RangeError(
      `randomBytes returned ${bytes.length} bytes; a Message-ID needs ${MESSAGE_ID_RANDOM_BYTES}`
    );
  }
  const hex = Buffer.from(bytes.subarray(0, MESSAGE_ID_RANDOM_BYTES)).toString("hex");
  return `<${hex}@${asciiDomain}>`;
}

// src/mime/base64.ts
var LINE_BYTES = 57;
var CR = 13;
var LF = 10;
function base64EncodedLength(inputLength) {
  return Math.ceil(inputLength / 3) * 4 + Math.ceil(inputLength / LINE_BYTES) * 2;
}
function encodeBase64(input) {
  const out = new Uint8Array(base64EncodedLength(input.length));
  encodeBase64Into(input, out, 0);
  return out;
}
var ALPHABET = Buffer.from(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  "latin1"
);
var PAD = 61;
function encodeBase64Into(input, target, offset) {
  const fullLines = Math.floor(input.length / LINE_BYTES);
  let position = offset;
  let i = 0;
  for (let line = 0; line < fullLines; line += 1) {
    position = writeGroups(input, i, i + LINE_BYTES, target, position);
    target[position++] = CR;
    target[position++] = LF;
    i += LINE_BYTES;
  }
  if (i === input.length) return position - offset;
  const whole = input.length - (input.length - i) % 3;
  position = writeGroups(input, i, whole, target, position);
  if (whole < input.length) position = writeFinalGroup(input.subarray(whole), target, position);
  target[position++] = CR;
  target[position++] = LF;
  return position - offset;
}
function writeGroups(input, start, end, target, position) {
  for (let i = start; i < end; i += 3) {
    const triple = input[i] << 16 | input[i + 1] << 8 | input[i + 2];
    target[position] = ALPHABET[triple >>> 18];
    target[position + 1] = ALPHABET[triple >>> 12 & 63];
    target[position + 2] = ALPHABET[triple >>> 6 & 63];
    target[position + 3] = ALPHABET[triple & 63];
    position += 4;
  }
  return position;
}
function writeFinalGroup(rest, target, position) {
  const first = rest[0] ?? 0;
  const second = rest[1];
  const triple = first << 16 | (second ?? 0) << 8;
  target[position] = ALPHABET[triple >>> 18] ?? 0;
  target[position + 1] = ALPHABET[triple >>> 12 & 63] ?? 0;
  target[position + 2] = second === void 0 ? PAD : ALPHABET[triple >>> 6 & 63] ?? 0;
  target[position + 3] = PAD;
  return position + 4;
}

// src/mime/parameter.ts
var FOLD_AT = 78;
var MAX_QUOTED = 200;
var SEGMENT_BUDGET = FOLD_AT - 2;
var TOKEN = /^[A-Za-z0-9!#$&+\-.^_`{|}~]+$/;
var ATTRIBUTE_CHAR = /^[A-Za-z0-9!#$&+\-.^_`{|}~]$/;
var UTF8 = new TextEncoder();
var UNSAFE_TEXT = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
function cleanParameterText(value) {
  return value.replace(UNSAFE_TEXT, "_");
}
function formatParameter(name, value) {
  const clean = cleanParameterText(value);
  const ascii2 = isPrintableAscii(clean);
  if (ascii2 && TOKEN.test(clean)) return [`${name}=${clean}`];
  if (ascii2 && clean.length <= MAX_QUOTED && !clean.includes("=?")) {
    return [`${name}=${quoteString(clean)}`];
  }
  const fallback = quoteString(toAsciiFallback(clean).slice(0, MAX_QUOTED));
  return [`${name}=${fallback}`, ...formatExtendedParameter(name, clean)];
}
function formatExtendedParameter(name, value, language = "") {
  const prefix = `utf-8'${language}'`;
  const single = `${name}*=${prefix}${percentEncode(value)}`;
  if (single.length <= SEGMENT_BUDGET) return [single];
  const segments = [];
  let current = prefix;
  for (const char of value) {
    const encoded = percentEncode(char);
    const head = `${name}*${segments.length}*=`;
    if (head.length + current.length + encoded.length > SEGMENT_BUDGET && current !== "") {
      segments.push(`${head}${current}`);
      current = "";
    }
    current += encoded;
  }
  segments.push(`${name}*${segments.length}*=${current}`);
  return segments;
}
function percentEncode(value) {
  let out = "";
  for (const char of value) {
    if (ATTRIBUTE_CHAR.test(char)) {
      out += char;
      continue;
    }
    for (const byte of UTF8.encode(char)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}
function formatContentHeader(name, value, parameters = []) {
  let header = `${name}: ${value}`;
  let lineLength = header.length;
  for (const [attribute, parameterValue] of parameters) {
    for (const segment of formatParameter(attribute, parameterValue)) {
      if (lineLength + 2 + segment.length + 1 > FOLD_AT) {
        header += `;\r
 ${segment}`;
        lineLength = 1 + segment.length;
      } else {
        header += `; ${segment}`;
        lineLength += 2 + segment.length;
      }
    }
  }
  return `${header}\r
`;
}
function quoteString(value) {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
function isPrintableAscii(value) {
  return /^[\x20-\x7e]*$/.test(value);
}
function toAsciiFallback(value) {
  return value.normalize("NFKD").replace(new RegExp("\\p{M}", "gu"), "").replace(/[^\x20-\x7e]|\?/g, "_");
}

// src/mime/quoted-printable.ts
var MAX_LINE = 76;
var CR2 = 13;
var LF2 = 10;
var SPACE2 = 32;
var TAB = 9;
var EQUALS = 61;
var DOT = 46;
var HEX = new TextEncoder().encode("0123456789ABCDEF");
var FROM_SPACE = new TextEncoder().encode("From ");
function encodeQuotedPrintable(input) {
  const writer = new QpWriter(input.length);
  let i = 0;
  while (i < input.length) {
    if (input[i] === CR2 && input[i + 1] === LF2) {
      writer.hardBreak();
      i += 2;
      continue;
    }
    const length = tokenLength(input, i);
    let escape2 = mustEscape(input, i, writer.atLineStart());
    if (!writer.fits(escape2 ? length * 3 : length)) {
      writer.softBreak();
      escape2 = mustEscape(input, i, true);
    }
    writer.token(input, i, length, escape2);
    i += length;
  }
  if (!writer.atLineStart()) writer.softBreak();
  return writer.finish();
}
function tokenLength(input, start) {
  const lead = input[start] ?? 0;
  const expected = lead >= 240 && lead <= 247 ? 4 : lead >= 224 ? 3 : lead >= 192 ? 2 : 1;
  if (lead >= 248) return 1;
  let length = 1;
  while (length < expected && start + length < input.length) {
    const next = input[start + length] ?? 0;
    if ((next & 192) !== 128) break;
    length += 1;
  }
  return length;
}
function mustEscape(input, i, lineStart) {
  const byte = input[i] ?? 0;
  if (byte === SPACE2 || byte === TAB) {
    const next = input[i + 1];
    return next === void 0 || next === CR2 && input[i + 2] === LF2;
  }
  if (byte < 33 || byte > 126 || byte === EQUALS) return true;
  if (!lineStart) return false;
  return byte === DOT || startsWith(input, i, FROM_SPACE);
}
function startsWith(input, at2, prefix) {
  if (at2 + prefix.length > input.length) return false;
  for (let k = 0; k < prefix.length; k += 1) {
    if (input[at2 + k] !== prefix[k]) return false;
  }
  return true;
}
var QpWriter = class {
  out;
  position = 0;
  column = 0;
  constructor(inputLength) {
    const encoded = inputLength * 3;
    this.out = new Uint8Array(encoded + Math.ceil(encoded / 73) * 3 + 3);
  }
  atLineStart() {
    return this.column === 0;
  }
  hardBreak() {
    this.out[this.position++] = CR2;
    this.out[this.position++] = LF2;
    this.column = 0;
  }
  /** Whether `width` more characters fit, leaving room for the `=` of a soft break. */
  fits(width) {
    return this.column + width <= MAX_LINE - 1;
  }
  softBreak() {
    this.out[this.position++] = EQUALS;
    this.hardBreak();
  }
  token(input, start, length, escape2) {
    for (let k = start; k < start + length; k += 1) {
      const byte = input[k] ?? 0;
      if (escape2) {
        this.out[this.position++] = EQUALS;
        this.out[this.position++] = HEX[byte >> 4] ?? 0;
        this.out[this.position++] = HEX[byte & 15] ?? 0;
      } else {
        this.out[this.position++] = byte;
      }
    }
    this.column += escape2 ? length * 3 : length;
  }
  finish() {
    return this.out.subarray(0, this.position);
  }
};

// src/mime/transfer-encoding.ts
var MAX_LINE_OCTETS = 998;
var SHORT_LINE_OCTETS = 78;
var CR3 = 13;
var LF3 = 10;
function isSevenBitClean(content, maxLineOctets = MAX_LINE_OCTETS) {
  let lineLength = 0;
  for (let i = 0; i < content.length; i += 1) {
    const byte = content[i] ?? 0;
    if (byte === CR3) {
      if (content[i + 1] !== LF3) return false;
      i += 1;
      lineLength = 0;
      continue;
    }
    if (byte === 0 || byte === LF3 || byte > 127) return false;
    lineLength += 1;
    if (lineLength > maxLineOctets) return false;
  }
  return true;
}
function chooseTransferEncoding(content, kind) {
  if (kind === "binary") return "base64";
  if (kind === "text") {
    return isSevenBitClean(content, SHORT_LINE_OCTETS) ? "7bit" : "quoted-printable";
  }
  return isSevenBitClean(content) ? "7bit" : "base64";
}
function encodeTransfer(content, encoding) {
  switch (encoding) {
    case "7bit":
      return content;
    case "quoted-printable":
      return encodeQuotedPrintable(content);
    case "base64":
      return encodeBase64(content);
  }
}

// src/mime/entity.ts
var ascii = new TextEncoder();
function createLeafEntity(part) {
  const encoding = chooseTransferEncoding(part.content, part.kind);
  let headers = formatContentHeader("Content-Type", part.contentType, part.typeParameters);
  headers += `Content-Transfer-Encoding: ${encoding}\r
`;
  if (part.disposition) {
    const { type, parameters } = part.disposition;
    headers += formatContentHeader("Content-Disposition", type, parameters);
  }
  if (part.contentId !== void 0) headers += `Content-ID: <${part.contentId}>\r
`;
  const body = encoding === "base64" ? deferBase64(part.content) : encodeTransfer(part.content, encoding);
  return { headers, body: [body] };
}
var BASE64_TEXT = /^[A-Za-z0-9+/=\r\n]*$/;
function deferBase64(content) {
  return {
    length: base64EncodedLength(content.length),
    mayContain: (text2) => BASE64_TEXT.test(text2),
    writeInto: (target, offset) => {
      encodeBase64Into(content, target, offset);
    }
  };
}
function concatenateChunks(chunks) {
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    if (chunk instanceof Uint8Array) out.set(chunk, offset);
    else chunk.writeInto(out, offset);
    offset += chunk.length;
  }
  return out;
}
function toAsciiBytes(text2) {
  return ascii.encode(text2);
}
function endsWithLineBreak(body) {
  for (let i = body.length - 1; i >= 0; i -= 1) {
    const chunk = body[i];
    if (chunk === void 0 || chunk.length === 0) continue;
    if (!(chunk instanceof Uint8Array)) return true;
    return chunk[chunk.length - 2] === 13 && chunk[chunk.length - 1] === 10;
  }
  return true;
}

// node_modules/mime/dist/types/other.js
var types = {
  "application/prs.cww": ["cww"],
  "application/prs.xsf+xml": ["xsf"],
  "application/vnd.1000minds.decision-model+xml": ["1km"],
  "application/vnd.3gpp.pic-bw-large": ["plb"],
  "application/vnd.3gpp.pic-bw-small": ["psb"],
  "application/vnd.3gpp.pic-bw-var": ["pvb"],
  "application/vnd.3gpp2.tcap": ["tcap"],
  "application/vnd.3m.post-it-notes": ["pwn"],
  "application/vnd.accpac.simply.aso": ["aso"],
  "application/vnd.accpac.simply.imp": ["imp"],
  "application/vnd.acucobol": ["acu"],
  "application/vnd.acucorp": ["atc", "acutc"],
  "application/vnd.adobe.air-application-installer-package+zip": ["air"],
  "application/vnd.adobe.formscentral.fcdt": ["fcdt"],
  "application/vnd.adobe.fxp": ["fxp", "fxpl"],
  "application/vnd.adobe.xdp+xml": ["xdp"],
  "application/vnd.adobe.xfdf": ["*xfdf"],
  "application/vnd.age": ["age"],
  "application/vnd.ahead.space": ["ahead"],
  "application/vnd.airzip.filesecure.azf": ["azf"],
  "application/vnd.airzip.filesecure.azs": ["azs"],
  "application/vnd.amazon.ebook": ["azw"],
  "application/vnd.americandynamics.acc": ["acc"],
  "application/vnd.amiga.ami": ["ami"],
  "application/vnd.android.package-archive": ["apk"],
  "application/vnd.anser-web-certificate-issue-initiation": ["cii"],
  "application/vnd.anser-web-funds-transfer-initiation": ["fti"],
  "application/vnd.antix.game-component": ["atx"],
  "application/vnd.apple.installer+xml": ["mpkg"],
  "application/vnd.apple.keynote": ["key"],
  "application/vnd.apple.mpegurl": ["m3u8"],
  "application/vnd.apple.numbers": ["numbers"],
  "application/vnd.apple.pages": ["pages"],
  "application/vnd.apple.pkpass": ["pkpass"],
  "application/vnd.aristanetworks.swi": ["swi"],
  "application/vnd.astraea-software.iota": ["iota"],
  "application/vnd.audiograph": ["aep"],
  "application/vnd.autodesk.fbx": ["fbx"],
  "application/vnd.balsamiq.bmml+xml": ["bmml"],
  "application/vnd.blueice.multipass": ["mpm"],
  "application/vnd.bmi": ["bmi"],
  "application/vnd.businessobjects": ["rep"],
  "application/vnd.chemdraw+xml": ["cdxml"],
  "application/vnd.chipnuts.karaoke-mmd": ["mmd"],
  "application/vnd.cinderella": ["cdy"],
  "application/vnd.citationstyles.style+xml": ["csl"],
  "application/vnd.claymore": ["cla"],
  "application/vnd.cloanto.rp9": ["rp9"],
  "application/vnd.clonk.c4group": ["c4g", "c4d", "c4f", "c4p", "c4u"],
  "application/vnd.cluetrust.cartomobile-config": ["c11amc"],
  "application/vnd.cluetrust.cartomobile-config-pkg": ["c11amz"],
  "application/vnd.commonspace": ["csp"],
  "application/vnd.contact.cmsg": ["cdbcmsg"],
  "application/vnd.cosmocaller": ["cmc"],
  "application/vnd.crick.clicker": ["clkx"],
  "application/vnd.crick.clicker.keyboard": ["clkk"],
  "application/vnd.crick.clicker.palette": ["clkp"],
  "application/vnd.crick.clicker.template": ["clkt"],
  "application/vnd.crick.clicker.wordbank": ["clkw"],
  "application/vnd.criticaltools.wbs+xml": ["wbs"],
  "application/vnd.ctc-posml": ["pml"],
  "application/vnd.cups-ppd": ["ppd"],
  "application/vnd.curl.car": ["car"],
  "application/vnd.curl.pcurl": ["pcurl"],
  "application/vnd.dart": ["dart"],
  "application/vnd.data-vision.rdz": ["rdz"],
  "application/vnd.dbf": ["dbf"],
  "application/vnd.dcmp+xml": ["dcmp"],
  "application/vnd.dece.data": ["uvf", "uvvf", "uvd", "uvvd"],
  "application/vnd.dece.ttml+xml": ["uvt", "uvvt"],
  "application/vnd.dece.unspecified": ["uvx", "uvvx"],
  "application/vnd.dece.zip": ["uvz", "uvvz"],
  "application/vnd.denovo.fcselayout-link": ["fe_launch"],
  "application/vnd.dna": ["dna"],
  "application/vnd.dolby.mlp": ["mlp"],
  "application/vnd.dpgraph": ["dpg"],
  "application/vnd.dreamfactory": ["dfac"],
  "application/vnd.ds-keypoint": ["kpxx"],
  "application/vnd.dvb.ait": ["ait"],
  "application/vnd.dvb.service": ["svc"],
  "application/vnd.dynageo": ["geo"],
  "application/vnd.ecowin.chart": ["mag"],
  "application/vnd.enliven": ["nml"],
  "application/vnd.epson.esf": ["esf"],
  "application/vnd.epson.msf": ["msf"],
  "application/vnd.epson.quickanime": ["qam"],
  "application/vnd.epson.salt": ["slt"],
  "application/vnd.epson.ssf": ["ssf"],
  "application/vnd.eszigno3+xml": ["es3", "et3"],
  "application/vnd.ezpix-album": ["ez2"],
  "application/vnd.ezpix-package": ["ez3"],
  "application/vnd.fdf": ["*fdf"],
  "application/vnd.fdsn.mseed": ["mseed"],
  "application/vnd.fdsn.seed": ["seed", "dataless"],
  "application/vnd.flographit": ["gph"],
  "application/vnd.fluxtime.clip": ["ftc"],
  "application/vnd.framemaker": ["fm", "frame", "maker", "book"],
  "application/vnd.frogans.fnc": ["fnc"],
  "application/vnd.frogans.ltf": ["ltf"],
  "application/vnd.fsc.weblaunch": ["fsc"],
  "application/vnd.fujitsu.oasys": ["oas"],
  "application/vnd.fujitsu.oasys2": ["oa2"],
  "application/vnd.fujitsu.oasys3": ["oa3"],
  "application/vnd.fujitsu.oasysgp": ["fg5"],
  "application/vnd.fujitsu.oasysprs": ["bh2"],
  "application/vnd.fujixerox.ddd": ["ddd"],
  "application/vnd.fujixerox.docuworks": ["xdw"],
  "application/vnd.fujixerox.docuworks.binder": ["xbd"],
  "application/vnd.fuzzysheet": ["fzs"],
  "application/vnd.genomatix.tuxedo": ["txd"],
  "application/vnd.geogebra.file": ["ggb"],
  "application/vnd.geogebra.slides": ["ggs"],
  "application/vnd.geogebra.tool": ["ggt"],
  "application/vnd.geometry-explorer": ["gex", "gre"],
  "application/vnd.geonext": ["gxt"],
  "application/vnd.geoplan": ["g2w"],
  "application/vnd.geospace": ["g3w"],
  "application/vnd.gmx": ["gmx"],
  "application/vnd.google-apps.document": ["gdoc"],
  "application/vnd.google-apps.drawing": ["gdraw"],
  "application/vnd.google-apps.form": ["gform"],
  "application/vnd.google-apps.jam": ["gjam"],
  "application/vnd.google-apps.map": ["gmap"],
  "application/vnd.google-apps.presentation": ["gslides"],
  "application/vnd.google-apps.script": ["gscript"],
  "application/vnd.google-apps.site": ["gsite"],
  "application/vnd.google-apps.spreadsheet": ["gsheet"],
  "application/vnd.google-earth.kml+xml": ["kml"],
  "application/vnd.google-earth.kmz": ["kmz"],
  "application/vnd.gov.sk.xmldatacontainer+xml": ["xdcf"],
  "application/vnd.grafeq": ["gqf", "gqs"],
  "application/vnd.groove-account": ["gac"],
  "application/vnd.groove-help": ["ghf"],
  "application/vnd.groove-identity-message": ["gim"],
  "application/vnd.groove-injector": ["grv"],
  "application/vnd.groove-tool-message": ["gtm"],
  "application/vnd.groove-tool-template": ["tpl"],
  "application/vnd.groove-vcard": ["vcg"],
  "application/vnd.hal+xml": ["hal"],
  "application/vnd.handheld-entertainment+xml": ["zmm"],
  "application/vnd.hbci": ["hbci"],
  "application/vnd.hhe.lesson-player": ["les"],
  "application/vnd.hp-hpgl": ["hpgl"],
  "application/vnd.hp-hpid": ["hpid"],
  "application/vnd.hp-hps": ["hps"],
  "application/vnd.hp-jlyt": ["jlt"],
  "application/vnd.hp-pcl": ["pcl"],
  "application/vnd.hp-pclxl": ["pclxl"],
  "application/vnd.hydrostatix.sof-data": ["sfd-hdstx"],
  "application/vnd.ibm.minipay": ["mpy"],
  "application/vnd.ibm.modcap": ["afp", "listafp", "list3820"],
  "application/vnd.ibm.rights-management": ["irm"],
  "application/vnd.ibm.secure-container": ["sc"],
  "application/vnd.iccprofile": ["icc", "icm"],
  "application/vnd.igloader": ["igl"],
  "application/vnd.immervision-ivp": ["ivp"],
  "application/vnd.immervision-ivu": ["ivu"],
  "application/vnd.insors.igm": ["igm"],
  "application/vnd.intercon.formnet": ["xpw", "xpx"],
  "application/vnd.intergeo": ["i2g"],
  "application/vnd.intu.qbo": ["qbo"],
  "application/vnd.intu.qfx": ["qfx"],
  "application/vnd.ipunplugged.rcprofile": ["rcprofile"],
  "application/vnd.irepository.package+xml": ["irp"],
  "application/vnd.is-xpr": ["xpr"],
  "application/vnd.isac.fcs": ["fcs"],
  "application/vnd.jam": ["jam"],
  "application/vnd.jcp.javame.midlet-rms": ["rms"],
  "application/vnd.jisp": ["jisp"],
  "application/vnd.joost.joda-archive": ["joda"],
  "application/vnd.kahootz": ["ktz", "ktr"],
  "application/vnd.kde.karbon": ["karbon"],
  "application/vnd.kde.kchart": ["chrt"],
  "application/vnd.kde.kformula": ["kfo"],
  "application/vnd.kde.kivio": ["flw"],
  "application/vnd.kde.kontour": ["kon"],
  "application/vnd.kde.kpresenter": ["kpr", "kpt"],
  "application/vnd.kde.kspread": ["ksp"],
  "application/vnd.kde.kword": ["kwd", "kwt"],
  "application/vnd.kenameaapp": ["htke"],
  "application/vnd.kidspiration": ["kia"],
  "application/vnd.kinar": ["kne", "knp"],
  "application/vnd.koan": ["skp", "skd", "skt", "skm"],
  "application/vnd.kodak-descriptor": ["sse"],
  "application/vnd.las.las+xml": ["lasxml"],
  "application/vnd.llamagraphics.life-balance.desktop": ["lbd"],
  "application/vnd.llamagraphics.life-balance.exchange+xml": ["lbe"],
  "application/vnd.lotus-1-2-3": ["123"],
  "application/vnd.lotus-approach": ["apr"],
  "application/vnd.lotus-freelance": ["pre"],
  "application/vnd.lotus-notes": ["nsf"],
  "application/vnd.lotus-organizer": ["org"],
  "application/vnd.lotus-screencam": ["scm"],
  "application/vnd.lotus-wordpro": ["lwp"],
  "application/vnd.macports.portpkg": ["portpkg"],
  "application/vnd.mapbox-vector-tile": ["mvt"],
  "application/vnd.mcd": ["mcd"],
  "application/vnd.medcalcdata": ["mc1"],
  "application/vnd.mediastation.cdkey": ["cdkey"],
  "application/vnd.mfer": ["mwf"],
  "application/vnd.mfmp": ["mfm"],
  "application/vnd.micrografx.flo": ["flo"],
  "application/vnd.micrografx.igx": ["igx"],
  "application/vnd.mif": ["mif"],
  "application/vnd.mobius.daf": ["daf"],
  "application/vnd.mobius.dis": ["dis"],
  "application/vnd.mobius.mbk": ["mbk"],
  "application/vnd.mobius.mqy": ["mqy"],
  "application/vnd.mobius.msl": ["msl"],
  "application/vnd.mobius.plc": ["plc"],
  "application/vnd.mobius.txf": ["txf"],
  "application/vnd.mophun.application": ["mpn"],
  "application/vnd.mophun.certificate": ["mpc"],
  "application/vnd.mozilla.xul+xml": ["xul"],
  "application/vnd.ms-artgalry": ["cil"],
  "application/vnd.ms-cab-compressed": ["cab"],
  "application/vnd.ms-excel": ["xls", "xlm", "xla", "xlc", "xlt", "xlw"],
  "application/vnd.ms-excel.addin.macroenabled.12": ["xlam"],
  "application/vnd.ms-excel.sheet.binary.macroenabled.12": ["xlsb"],
  "application/vnd.ms-excel.sheet.macroenabled.12": ["xlsm"],
  "application/vnd.ms-excel.template.macroenabled.12": ["xltm"],
  "application/vnd.ms-fontobject": ["eot"],
  "application/vnd.ms-htmlhelp": ["chm"],
  "application/vnd.ms-ims": ["ims"],
  "application/vnd.ms-lrm": ["lrm"],
  "application/vnd.ms-officetheme": ["thmx"],
  "application/vnd.ms-outlook": ["msg"],
  "application/vnd.ms-pki.seccat": ["cat"],
  "application/vnd.ms-pki.stl": ["*stl"],
  "application/vnd.ms-powerpoint": ["ppt", "pps", "pot"],
  "application/vnd.ms-powerpoint.addin.macroenabled.12": ["ppam"],
  "application/vnd.ms-powerpoint.presentation.macroenabled.12": ["pptm"],
  "application/vnd.ms-powerpoint.slide.macroenabled.12": ["sldm"],
  "application/vnd.ms-powerpoint.slideshow.macroenabled.12": ["ppsm"],
  "application/vnd.ms-powerpoint.template.macroenabled.12": ["potm"],
  "application/vnd.ms-project": ["*mpp", "mpt"],
  "application/vnd.ms-visio.viewer": ["vdx"],
  "application/vnd.ms-word.document.macroenabled.12": ["docm"],
  "application/vnd.ms-word.template.macroenabled.12": ["dotm"],
  "application/vnd.ms-works": ["wps", "wks", "wcm", "wdb"],
  "application/vnd.ms-wpl": ["wpl"],
  "application/vnd.ms-xpsdocument": ["xps"],
  "application/vnd.mseq": ["mseq"],
  "application/vnd.musician": ["mus"],
  "application/vnd.muvee.style": ["msty"],
  "application/vnd.mynfc": ["taglet"],
  "application/vnd.nato.bindingdataobject+xml": ["bdo"],
  "application/vnd.neurolanguage.nlu": ["nlu"],
  "application/vnd.nitf": ["ntf", "nitf"],
  "application/vnd.noblenet-directory": ["nnd"],
  "application/vnd.noblenet-sealer": ["nns"],
  "application/vnd.noblenet-web": ["nnw"],
  "application/vnd.nokia.n-gage.ac+xml": ["*ac"],
  "application/vnd.nokia.n-gage.data": ["ngdat"],
  "application/vnd.nokia.n-gage.symbian.install": ["n-gage"],
  "application/vnd.nokia.radio-preset": ["rpst"],
  "application/vnd.nokia.radio-presets": ["rpss"],
  "application/vnd.novadigm.edm": ["edm"],
  "application/vnd.novadigm.edx": ["edx"],
  "application/vnd.novadigm.ext": ["ext"],
  "application/vnd.oasis.opendocument.chart": ["odc"],
  "application/vnd.oasis.opendocument.chart-template": ["otc"],
  "application/vnd.oasis.opendocument.database": ["odb"],
  "application/vnd.oasis.opendocument.formula": ["odf"],
  "application/vnd.oasis.opendocument.formula-template": ["odft"],
  "application/vnd.oasis.opendocument.graphics": ["odg"],
  "application/vnd.oasis.opendocument.graphics-template": ["otg"],
  "application/vnd.oasis.opendocument.image": ["odi"],
  "application/vnd.oasis.opendocument.image-template": ["oti"],
  "application/vnd.oasis.opendocument.presentation": ["odp"],
  "application/vnd.oasis.opendocument.presentation-template": ["otp"],
  "application/vnd.oasis.opendocument.spreadsheet": ["ods"],
  "application/vnd.oasis.opendocument.spreadsheet-template": ["ots"],
  "application/vnd.oasis.opendocument.text": ["odt"],
  "application/vnd.oasis.opendocument.text-master": ["odm"],
  "application/vnd.oasis.opendocument.text-template": ["ott"],
  "application/vnd.oasis.opendocument.text-web": ["oth"],
  "application/vnd.olpc-sugar": ["xo"],
  "application/vnd.oma.dd2+xml": ["dd2"],
  "application/vnd.openblox.game+xml": ["obgx"],
  "application/vnd.openofficeorg.extension": ["oxt"],
  "application/vnd.openstreetmap.data+xml": ["osm"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": [
    "pptx"
  ],
  "application/vnd.openxmlformats-officedocument.presentationml.slide": [
    "sldx"
  ],
  "application/vnd.openxmlformats-officedocument.presentationml.slideshow": [
    "ppsx"
  ],
  "application/vnd.openxmlformats-officedocument.presentationml.template": [
    "potx"
  ],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.template": [
    "xltx"
  ],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [
    "docx"
  ],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.template": [
    "dotx"
  ],
  "application/vnd.osgeo.mapguide.package": ["mgp"],
  "application/vnd.osgi.dp": ["dp"],
  "application/vnd.osgi.subsystem": ["esa"],
  "application/vnd.palm": ["pdb", "pqa", "oprc"],
  "application/vnd.pawaafile": ["paw"],
  "application/vnd.pg.format": ["str"],
  "application/vnd.pg.osasli": ["ei6"],
  "application/vnd.picsel": ["efif"],
  "application/vnd.pmi.widget": ["wg"],
  "application/vnd.pocketlearn": ["plf"],
  "application/vnd.powerbuilder6": ["pbd"],
  "application/vnd.previewsystems.box": ["box"],
  "application/vnd.procrate.brushset": ["brushset"],
  "application/vnd.procreate.brush": ["brush"],
  "application/vnd.procreate.dream": ["drm"],
  "application/vnd.proteus.magazine": ["mgz"],
  "application/vnd.publishare-delta-tree": ["qps"],
  "application/vnd.pvi.ptid1": ["ptid"],
  "application/vnd.pwg-xhtml-print+xml": ["xhtm"],
  "application/vnd.quark.quarkxpress": [
    "qxd",
    "qxt",
    "qwd",
    "qwt",
    "qxl",
    "qxb"
  ],
  "application/vnd.rar": ["rar"],
  "application/vnd.realvnc.bed": ["bed"],
  "application/vnd.recordare.musicxml": ["mxl"],
  "application/vnd.recordare.musicxml+xml": ["musicxml"],
  "application/vnd.rig.cryptonote": ["cryptonote"],
  "application/vnd.rim.cod": ["cod"],
  "application/vnd.rn-realmedia": ["rm"],
  "application/vnd.rn-realmedia-vbr": ["rmvb"],
  "application/vnd.route66.link66+xml": ["link66"],
  "application/vnd.sailingtracker.track": ["st"],
  "application/vnd.seemail": ["see"],
  "application/vnd.sema": ["sema"],
  "application/vnd.semd": ["semd"],
  "application/vnd.semf": ["semf"],
  "application/vnd.shana.informed.formdata": ["ifm"],
  "application/vnd.shana.informed.formtemplate": ["itp"],
  "application/vnd.shana.informed.interchange": ["iif"],
  "application/vnd.shana.informed.package": ["ipk"],
  "application/vnd.simtech-mindmapper": ["twd", "twds"],
  "application/vnd.smaf": ["mmf"],
  "application/vnd.smart.teacher": ["teacher"],
  "application/vnd.software602.filler.form+xml": ["fo"],
  "application/vnd.solent.sdkm+xml": ["sdkm", "sdkd"],
  "application/vnd.spotfire.dxp": ["dxp"],
  "application/vnd.spotfire.sfs": ["sfs"],
  "application/vnd.stardivision.calc": ["sdc"],
  "application/vnd.stardivision.draw": ["sda"],
  "application/vnd.stardivision.impress": ["sdd"],
  "application/vnd.stardivision.math": ["smf"],
  "application/vnd.stardivision.writer": ["sdw", "vor"],
  "application/vnd.stardivision.writer-global": ["sgl"],
  "application/vnd.stepmania.package": ["smzip"],
  "application/vnd.stepmania.stepchart": ["sm"],
  "application/vnd.sun.wadl+xml": ["wadl"],
  "application/vnd.sun.xml.calc": ["sxc"],
  "application/vnd.sun.xml.calc.template": ["stc"],
  "application/vnd.sun.xml.draw": ["sxd"],
  "application/vnd.sun.xml.draw.template": ["std"],
  "application/vnd.sun.xml.impress": ["sxi"],
  "application/vnd.sun.xml.impress.template": ["sti"],
  "application/vnd.sun.xml.math": ["sxm"],
  "application/vnd.sun.xml.writer": ["sxw"],
  "application/vnd.sun.xml.writer.global": ["sxg"],
  "application/vnd.sun.xml.writer.template": ["stw"],
  "application/vnd.sus-calendar": ["sus", "susp"],
  "application/vnd.svd": ["svd"],
  "application/vnd.symbian.install": ["sis", "sisx"],
  "application/vnd.syncml+xml": ["xsm"],
  "application/vnd.syncml.dm+wbxml": ["bdm"],
  "application/vnd.syncml.dm+xml": ["xdm"],
  "application/vnd.syncml.dmddf+xml": ["ddf"],
  "application/vnd.tao.intent-module-archive": ["tao"],
  "application/vnd.tcpdump.pcap": ["pcap", "cap", "dmp"],
  "application/vnd.tmobile-livetv": ["tmo"],
  "application/vnd.trid.tpt": ["tpt"],
  "application/vnd.triscape.mxs": ["mxs"],
  "application/vnd.trueapp": ["tra"],
  "application/vnd.ufdl": ["ufd", "ufdl"],
  "application/vnd.uiq.theme": ["utz"],
  "application/vnd.umajin": ["umj"],
  "application/vnd.unity": ["unityweb"],
  "application/vnd.uoml+xml": ["uoml", "uo"],
  "application/vnd.vcx": ["vcx"],
  "application/vnd.visio": ["vsd", "vst", "vss", "vsw", "vsdx", "vtx"],
  "application/vnd.visionary": ["vis"],
  "application/vnd.vsf": ["vsf"],
  "application/vnd.wap.wbxml": ["wbxml"],
  "application/vnd.wap.wmlc": ["wmlc"],
  "application/vnd.wap.wmlscriptc": ["wmlsc"],
  "application/vnd.webturbo": ["wtb"],
  "application/vnd.wolfram.player": ["nbp"],
  "application/vnd.wordperfect": ["wpd"],
  "application/vnd.wqd": ["wqd"],
  "application/vnd.wt.stf": ["stf"],
  "application/vnd.xara": ["xar"],
  "application/vnd.xfdl": ["xfdl"],
  "application/vnd.yamaha.hv-dic": ["hvd"],
  "application/vnd.yamaha.hv-script": ["hvs"],
  "application/vnd.yamaha.hv-voice": ["hvp"],
  "application/vnd.yamaha.openscoreformat": ["osf"],
  "application/vnd.yamaha.openscoreformat.osfpvg+xml": ["osfpvg"],
  "application/vnd.yamaha.smaf-audio": ["saf"],
  "application/vnd.yamaha.smaf-phrase": ["spf"],
  "application/vnd.yellowriver-custom-menu": ["cmp"],
  "application/vnd.zul": ["zir", "zirz"],
  "application/vnd.zzazz.deck+xml": ["zaz"],
  "application/x-7z-compressed": ["7z"],
  "application/x-abiword": ["abw"],
  "application/x-ace-compressed": ["ace"],
  "application/x-apple-diskimage": ["*dmg"],
  "application/x-arj": ["arj"],
  "application/x-authorware-bin": ["aab", "x32", "u32", "vox"],
  "application/x-authorware-map": ["aam"],
  "application/x-authorware-seg": ["aas"],
  "application/x-bcpio": ["bcpio"],
  "application/x-bdoc": ["*bdoc"],
  "application/x-bittorrent": ["torrent"],
  "application/x-blender": ["blend"],
  "application/x-blorb": ["blb", "blorb"],
  "application/x-bzip": ["bz"],
  "application/x-bzip2": ["bz2", "boz"],
  "application/x-cbr": ["cbr", "cba", "cbt", "cbz", "cb7"],
  "application/x-cdlink": ["vcd"],
  "application/x-cfs-compressed": ["cfs"],
  "application/x-chat": ["chat"],
  "application/x-chess-pgn": ["pgn"],
  "application/x-chrome-extension": ["crx"],
  "application/x-cocoa": ["cco"],
  "application/x-compressed": ["*rar"],
  "application/x-conference": ["nsc"],
  "application/x-cpio": ["cpio"],
  "application/x-csh": ["csh"],
  "application/x-debian-package": ["*deb", "udeb"],
  "application/x-dgc-compressed": ["dgc"],
  "application/x-director": [
    "dir",
    "dcr",
    "dxr",
    "cst",
    "cct",
    "cxt",
    "w3d",
    "fgd",
    "swa"
  ],
  "application/x-doom": ["wad"],
  "application/x-dtbncx+xml": ["ncx"],
  "application/x-dtbook+xml": ["dtb"],
  "application/x-dtbresource+xml": ["res"],
  "application/x-dvi": ["dvi"],
  "application/x-envoy": ["evy"],
  "application/x-eva": ["eva"],
  "application/x-font-bdf": ["bdf"],
  "application/x-font-ghostscript": ["gsf"],
  "application/x-font-linux-psf": ["psf"],
  "application/x-font-pcf": ["pcf"],
  "application/x-font-snf": ["snf"],
  "application/x-font-type1": ["pfa", "pfb", "pfm", "afm"],
  "application/x-freearc": ["arc"],
  "application/x-futuresplash": ["spl"],
  "application/x-gca-compressed": ["gca"],
  "application/x-glulx": ["ulx"],
  "application/x-gnumeric": ["gnumeric"],
  "application/x-gramps-xml": ["gramps"],
  "application/x-gtar": ["gtar"],
  "application/x-hdf": ["hdf"],
  "application/x-httpd-php": ["php"],
  "application/x-install-instructions": ["install"],
  "application/x-ipynb+json": ["ipynb"],
  "application/x-iso9660-image": ["*iso"],
  "application/x-iwork-keynote-sffkey": ["*key"],
  "application/x-iwork-numbers-sffnumbers": ["*numbers"],
  "application/x-iwork-pages-sffpages": ["*pages"],
  "application/x-java-archive-diff": ["jardiff"],
  "application/x-java-jnlp-file": ["jnlp"],
  "application/x-keepass2": ["kdbx"],
  "application/x-latex": ["latex"],
  "application/x-lua-bytecode": ["luac"],
  "application/x-lzh-compressed": ["lzh", "lha"],
  "application/x-makeself": ["run"],
  "application/x-mie": ["mie"],
  "application/x-mobipocket-ebook": ["*prc", "mobi"],
  "application/x-ms-application": ["application"],
  "application/x-ms-shortcut": ["lnk"],
  "application/x-ms-wmd": ["wmd"],
  "application/x-ms-wmz": ["wmz"],
  "application/x-ms-xbap": ["xbap"],
  "application/x-msaccess": ["mdb"],
  "application/x-msbinder": ["obd"],
  "application/x-mscardfile": ["crd"],
  "application/x-msclip": ["clp"],
  "application/x-msdos-program": ["*exe"],
  "application/x-msdownload": ["*exe", "*dll", "com", "bat", "*msi"],
  "application/x-msmediaview": ["mvb", "m13", "m14"],
  "application/x-msmetafile": ["*wmf", "*wmz", "*emf", "emz"],
  "application/x-msmoney": ["mny"],
  "application/x-mspublisher": ["pub"],
  "application/x-msschedule": ["scd"],
  "application/x-msterminal": ["trm"],
  "application/x-mswrite": ["wri"],
  "application/x-netcdf": ["nc", "cdf"],
  "application/x-ns-proxy-autoconfig": ["pac"],
  "application/x-nzb": ["nzb"],
  "application/x-perl": ["pl", "pm"],
  "application/x-pilot": ["*prc", "*pdb"],
  "application/x-pkcs12": ["p12", "pfx"],
  "application/x-pkcs7-certificates": ["p7b", "spc"],
  "application/x-pkcs7-certreqresp": ["p7r"],
  "application/x-rar-compressed": ["*rar"],
  "application/x-redhat-package-manager": ["rpm"],
  "application/x-research-info-systems": ["ris"],
  "application/x-sea": ["sea"],
  "application/x-sh": ["sh"],
  "application/x-shar": ["shar"],
  "application/x-shockwave-flash": ["swf"],
  "application/x-silverlight-app": ["xap"],
  "application/x-sql": ["*sql"],
  "application/x-stuffit": ["sit"],
  "application/x-stuffitx": ["sitx"],
  "application/x-subrip": ["srt"],
  "application/x-sv4cpio": ["sv4cpio"],
  "application/x-sv4crc": ["sv4crc"],
  "application/x-t3vm-image": ["t3"],
  "application/x-tads": ["gam"],
  "application/x-tar": ["tar"],
  "application/x-tcl": ["tcl", "tk"],
  "application/x-tex": ["tex"],
  "application/x-tex-tfm": ["tfm"],
  "application/x-texinfo": ["texinfo", "texi"],
  "application/x-tgif": ["*obj"],
  "application/x-ustar": ["ustar"],
  "application/x-virtualbox-hdd": ["hdd"],
  "application/x-virtualbox-ova": ["ova"],
  "application/x-virtualbox-ovf": ["ovf"],
  "application/x-virtualbox-vbox": ["vbox"],
  "application/x-virtualbox-vbox-extpack": ["vbox-extpack"],
  "application/x-virtualbox-vdi": ["vdi"],
  "application/x-virtualbox-vhd": ["vhd"],
  "application/x-virtualbox-vmdk": ["vmdk"],
  "application/x-wais-source": ["src"],
  "application/x-web-app-manifest+json": ["webapp"],
  "application/x-x509-ca-cert": ["der", "crt", "pem"],
  "application/x-xfig": ["fig"],
  "application/x-xliff+xml": ["*xlf"],
  "application/x-xpinstall": ["xpi"],
  "application/x-xz": ["xz"],
  "application/x-zip-compressed": ["*zip"],
  "application/x-zmachine": ["z1", "z2", "z3", "z4", "z5", "z6", "z7", "z8"],
  "audio/vnd.dece.audio": ["uva", "uvva"],
  "audio/vnd.digital-winds": ["eol"],
  "audio/vnd.dra": ["dra"],
  "audio/vnd.dts": ["dts"],
  "audio/vnd.dts.hd": ["dtshd"],
  "audio/vnd.lucent.voice": ["lvp"],
  "audio/vnd.ms-playready.media.pya": ["pya"],
  "audio/vnd.nuera.ecelp4800": ["ecelp4800"],
  "audio/vnd.nuera.ecelp7470": ["ecelp7470"],
  "audio/vnd.nuera.ecelp9600": ["ecelp9600"],
  "audio/vnd.rip": ["rip"],
  "audio/x-aac": ["*aac"],
  "audio/x-aiff": ["aif", "aiff", "aifc"],
  "audio/x-caf": ["caf"],
  "audio/x-flac": ["flac"],
  "audio/x-m4a": ["*m4a"],
  "audio/x-matroska": ["mka"],
  "audio/x-mpegurl": ["m3u"],
  "audio/x-ms-wax": ["wax"],
  "audio/x-ms-wma": ["wma"],
  "audio/x-pn-realaudio": ["ram", "ra"],
  "audio/x-pn-realaudio-plugin": ["rmp"],
  "audio/x-realaudio": ["*ra"],
  "audio/x-wav": ["*wav"],
  "chemical/x-cdx": ["cdx"],
  "chemical/x-cif": ["cif"],
  "chemical/x-cmdf": ["cmdf"],
  "chemical/x-cml": ["cml"],
  "chemical/x-csml": ["csml"],
  "chemical/x-xyz": ["xyz"],
  "image/prs.btif": ["btif", "btf"],
  "image/prs.pti": ["pti"],
  "image/vnd.adobe.photoshop": ["psd"],
  "image/vnd.airzip.accelerator.azv": ["azv"],
  "image/vnd.blockfact.facti": ["facti"],
  "image/vnd.dece.graphic": ["uvi", "uvvi", "uvg", "uvvg"],
  "image/vnd.djvu": ["djvu", "djv"],
  "image/vnd.dvb.subtitle": ["*sub"],
  "image/vnd.dwg": ["dwg"],
  "image/vnd.dxf": ["dxf"],
  "image/vnd.fastbidsheet": ["fbs"],
  "image/vnd.fpx": ["fpx"],
  "image/vnd.fst": ["fst"],
  "image/vnd.fujixerox.edmics-mmr": ["mmr"],
  "image/vnd.fujixerox.edmics-rlc": ["rlc"],
  "image/vnd.microsoft.icon": ["ico"],
  "image/vnd.ms-dds": ["dds"],
  "image/vnd.ms-modi": ["mdi"],
  "image/vnd.ms-photo": ["wdp"],
  "image/vnd.net-fpx": ["npx"],
  "image/vnd.pco.b16": ["b16"],
  "image/vnd.tencent.tap": ["tap"],
  "image/vnd.valve.source.texture": ["vtf"],
  "image/vnd.wap.wbmp": ["wbmp"],
  "image/vnd.xiff": ["xif"],
  "image/vnd.zbrush.pcx": ["pcx"],
  "image/x-3ds": ["3ds"],
  "image/x-adobe-dng": ["dng"],
  "image/x-cmu-raster": ["ras"],
  "image/x-cmx": ["cmx"],
  "image/x-freehand": ["fh", "fhc", "fh4", "fh5", "fh7"],
  "image/x-icon": ["*ico"],
  "image/x-jng": ["jng"],
  "image/x-mrsid-image": ["sid"],
  "image/x-ms-bmp": ["*bmp"],
  "image/x-pcx": ["*pcx"],
  "image/x-pict": ["pic", "pct"],
  "image/x-portable-anymap": ["pnm"],
  "image/x-portable-bitmap": ["pbm"],
  "image/x-portable-graymap": ["pgm"],
  "image/x-portable-pixmap": ["ppm"],
  "image/x-rgb": ["rgb"],
  "image/x-tga": ["tga"],
  "image/x-xbitmap": ["xbm"],
  "image/x-xpixmap": ["xpm"],
  "image/x-xwindowdump": ["xwd"],
  "message/vnd.wfa.wsc": ["wsc"],
  "model/vnd.bary": ["bary"],
  "model/vnd.cld": ["cld"],
  "model/vnd.collada+xml": ["dae"],
  "model/vnd.dwf": ["dwf"],
  "model/vnd.gdl": ["gdl"],
  "model/vnd.gtw": ["gtw"],
  "model/vnd.mts": ["*mts"],
  "model/vnd.opengex": ["ogex"],
  "model/vnd.parasolid.transmit.binary": ["x_b"],
  "model/vnd.parasolid.transmit.text": ["x_t"],
  "model/vnd.pytha.pyox": ["pyo", "pyox"],
  "model/vnd.sap.vds": ["vds"],
  "model/vnd.usda": ["usda"],
  "model/vnd.usdz+zip": ["usdz"],
  "model/vnd.valve.source.compiled-map": ["bsp"],
  "model/vnd.vtu": ["vtu"],
  "text/prs.lines.tag": ["dsc"],
  "text/vnd.curl": ["curl"],
  "text/vnd.curl.dcurl": ["dcurl"],
  "text/vnd.curl.mcurl": ["mcurl"],
  "text/vnd.curl.scurl": ["scurl"],
  "text/vnd.dvb.subtitle": ["sub"],
  "text/vnd.familysearch.gedcom": ["ged"],
  "text/vnd.fly": ["fly"],
  "text/vnd.fmi.flexstor": ["flx"],
  "text/vnd.graphviz": ["gv"],
  "text/vnd.in3d.3dml": ["3dml"],
  "text/vnd.in3d.spot": ["spot"],
  "text/vnd.sun.j2me.app-descriptor": ["jad"],
  "text/vnd.wap.wml": ["wml"],
  "text/vnd.wap.wmlscript": ["wmls"],
  "text/x-asm": ["s", "asm"],
  "text/x-c": ["c", "cc", "cxx", "cpp", "h", "hh", "dic"],
  "text/x-component": ["htc"],
  "text/x-fortran": ["f", "for", "f77", "f90"],
  "text/x-handlebars-template": ["hbs"],
  "text/x-java-source": ["java"],
  "text/x-lua": ["lua"],
  "text/x-markdown": ["mkd"],
  "text/x-nfo": ["nfo"],
  "text/x-opml": ["opml"],
  "text/x-org": ["*org"],
  "text/x-pascal": ["p", "pas"],
  "text/x-processing": ["pde"],
  "text/x-sass": ["sass"],
  "text/x-scss": ["scss"],
  "text/x-setext": ["etx"],
  "text/x-sfv": ["sfv"],
  "text/x-suse-ymp": ["ymp"],
  "text/x-uuencode": ["uu"],
  "text/x-vcalendar": ["vcs"],
  "text/x-vcard": ["vcf"],
  "video/vnd.dece.hd": ["uvh", "uvvh"],
  "video/vnd.dece.mobile": ["uvm", "uvvm"],
  "video/vnd.dece.pd": ["uvp", "uvvp"],
  "video/vnd.dece.sd": ["uvs", "uvvs"],
  "video/vnd.dece.video": ["uvv", "uvvv"],
  "video/vnd.dvb.file": ["dvb"],
  "video/vnd.fvt": ["fvt"],
  "video/vnd.mpegurl": ["mxu", "m4u"],
  "video/vnd.ms-playready.media.pyv": ["pyv"],
  "video/vnd.uvvu.mp4": ["uvu", "uvvu"],
  "video/vnd.vivo": ["viv"],
  "video/x-f4v": ["f4v"],
  "video/x-fli": ["fli"],
  "video/x-flv": ["flv"],
  "video/x-m4v": ["m4v"],
  "video/x-matroska": ["mkv", "mk3d", "mks"],
  "video/x-mng": ["mng"],
  "video/x-ms-asf": ["asf", "asx"],
  "video/x-ms-vob": ["vob"],
  "video/x-ms-wm": ["wm"],
  "video/x-ms-wmv": ["wmv"],
  "video/x-ms-wmx": ["wmx"],
  "video/x-ms-wvx": ["wvx"],
  "video/x-msvideo": ["avi"],
  "video/x-sgi-movie": ["movie"],
  "video/x-smv": ["smv"],
  "x-conference/x-cooltalk": ["ice"]
};
Object.freeze(types);
var other_default = types;

// node_modules/mime/dist/types/standard.js
var types2 = {
  "application/andrew-inset": ["ez"],
  "application/appinstaller": ["appinstaller"],
  "application/applixware": ["aw"],
  "application/appx": ["appx"],
  "application/appxbundle": ["appxbundle"],
  "application/atom+xml": ["atom"],
  "application/atomcat+xml": ["atomcat"],
  "application/atomdeleted+xml": ["atomdeleted"],
  "application/atomsvc+xml": ["atomsvc"],
  "application/atsc-dwd+xml": ["dwd"],
  "application/atsc-held+xml": ["held"],
  "application/atsc-rsat+xml": ["rsat"],
  "application/automationml-aml+xml": ["aml"],
  "application/automationml-amlx+zip": ["amlx"],
  "application/bdoc": ["bdoc"],
  "application/calendar+xml": ["xcs"],
  "application/ccxml+xml": ["ccxml"],
  "application/cdfx+xml": ["cdfx"],
  "application/cdmi-capability": ["cdmia"],
  "application/cdmi-container": ["cdmic"],
  "application/cdmi-domain": ["cdmid"],
  "application/cdmi-object": ["cdmio"],
  "application/cdmi-queue": ["cdmiq"],
  "application/cpl+xml": ["cpl"],
  "application/cu-seeme": ["cu"],
  "application/cwl": ["cwl"],
  "application/dash+xml": ["mpd"],
  "application/dash-patch+xml": ["mpp"],
  "application/davmount+xml": ["davmount"],
  "application/dicom": ["dcm"],
  "application/docbook+xml": ["dbk"],
  "application/dssc+der": ["dssc"],
  "application/dssc+xml": ["xdssc"],
  "application/ecmascript": ["ecma"],
  "application/emma+xml": ["emma"],
  "application/emotionml+xml": ["emotionml"],
  "application/epub+zip": ["epub"],
  "application/exi": ["exi"],
  "application/express": ["exp"],
  "application/fdf": ["fdf"],
  "application/fdt+xml": ["fdt"],
  "application/font-tdpfr": ["pfr"],
  "application/geo+json": ["geojson"],
  "application/gml+xml": ["gml"],
  "application/gpx+xml": ["gpx"],
  "application/gxf": ["gxf"],
  "application/gzip": ["gz"],
  "application/hjson": ["hjson"],
  "application/hyperstudio": ["stk"],
  "application/inkml+xml": ["ink", "inkml"],
  "application/ipfix": ["ipfix"],
  "application/its+xml": ["its"],
  "application/java-archive": ["jar", "war", "ear"],
  "application/java-serialized-object": ["ser"],
  "application/java-vm": ["class"],
  "application/javascript": ["*js"],
  "application/json": ["json", "map"],
  "application/json5": ["json5"],
  "application/jsonml+json": ["jsonml"],
  "application/ld+json": ["jsonld"],
  "application/lgr+xml": ["lgr"],
  "application/lost+xml": ["lostxml"],
  "application/mac-binhex40": ["hqx"],
  "application/mac-compactpro": ["cpt"],
  "application/mads+xml": ["mads"],
  "application/manifest+json": ["webmanifest"],
  "application/marc": ["mrc"],
  "application/marcxml+xml": ["mrcx"],
  "application/mathematica": ["ma", "nb", "mb"],
  "application/mathml+xml": ["mathml"],
  "application/mbox": ["mbox"],
  "application/media-policy-dataset+xml": ["mpf"],
  "application/mediaservercontrol+xml": ["mscml"],
  "application/metalink+xml": ["metalink"],
  "application/metalink4+xml": ["meta4"],
  "application/mets+xml": ["mets"],
  "application/mmt-aei+xml": ["maei"],
  "application/mmt-usd+xml": ["musd"],
  "application/mods+xml": ["mods"],
  "application/mp21": ["m21", "mp21"],
  "application/mp4": ["*mp4", "*mpg4", "mp4s", "m4p"],
  "application/msix": ["msix"],
  "application/msixbundle": ["msixbundle"],
  "application/msword": ["doc", "dot"],
  "application/mxf": ["mxf"],
  "application/n-quads": ["nq"],
  "application/n-triples": ["nt"],
  "application/node": ["cjs"],
  "application/octet-stream": [
    "bin",
    "dms",
    "lrf",
    "mar",
    "so",
    "dist",
    "distz",
    "pkg",
    "bpk",
    "dump",
    "elc",
    "deploy",
    "exe",
    "dll",
    "deb",
    "dmg",
    "iso",
    "img",
    "msi",
    "msp",
    "msm",
    "buffer"
  ],
  "application/oda": ["oda"],
  "application/oebps-package+xml": ["opf"],
  "application/ogg": ["ogx"],
  "application/omdoc+xml": ["omdoc"],
  "application/onenote": [
    "onetoc",
    "onetoc2",
    "onetmp",
    "onepkg",
    "one",
    "onea"
  ],
  "application/oxps": ["oxps"],
  "application/p2p-overlay+xml": ["relo"],
  "application/patch-ops-error+xml": ["xer"],
  "application/pdf": ["pdf"],
  "application/pgp-encrypted": ["pgp"],
  "application/pgp-keys": ["asc"],
  "application/pgp-signature": ["sig", "*asc"],
  "application/pics-rules": ["prf"],
  "application/pkcs10": ["p10"],
  "application/pkcs7-mime": ["p7m", "p7c"],
  "application/pkcs7-signature": ["p7s"],
  "application/pkcs8": ["p8"],
  "application/pkix-attr-cert": ["ac"],
  "application/pkix-cert": ["cer"],
  "application/pkix-crl": ["crl"],
  "application/pkix-pkipath": ["pkipath"],
  "application/pkixcmp": ["pki"],
  "application/pls+xml": ["pls"],
  "application/postscript": ["ai", "eps", "ps"],
  "application/provenance+xml": ["provx"],
  "application/pskc+xml": ["pskcxml"],
  "application/raml+yaml": ["raml"],
  "application/rdf+xml": ["rdf", "owl"],
  "application/reginfo+xml": ["rif"],
  "application/relax-ng-compact-syntax": ["rnc"],
  "application/resource-lists+xml": ["rl"],
  "application/resource-lists-diff+xml": ["rld"],
  "application/rls-services+xml": ["rs"],
  "application/route-apd+xml": ["rapd"],
  "application/route-s-tsid+xml": ["sls"],
  "application/route-usd+xml": ["rusd"],
  "application/rpki-ghostbusters": ["gbr"],
  "application/rpki-manifest": ["mft"],
  "application/rpki-roa": ["roa"],
  "application/rsd+xml": ["rsd"],
  "application/rss+xml": ["rss"],
  "application/rtf": ["rtf"],
  "application/sbml+xml": ["sbml"],
  "application/scvp-cv-request": ["scq"],
  "application/scvp-cv-response": ["scs"],
  "application/scvp-vp-request": ["spq"],
  "application/scvp-vp-response": ["spp"],
  "application/sdp": ["sdp"],
  "application/senml+xml": ["senmlx"],
  "application/sensml+xml": ["sensmlx"],
  "application/set-payment-initiation": ["setpay"],
  "application/set-registration-initiation": ["setreg"],
  "application/shf+xml": ["shf"],
  "application/sieve": ["siv", "sieve"],
  "application/smil+xml": ["smi", "smil"],
  "application/sparql-query": ["rq"],
  "application/sparql-results+xml": ["srx"],
  "application/sql": ["sql"],
  "application/srgs": ["gram"],
  "application/srgs+xml": ["grxml"],
  "application/sru+xml": ["sru"],
  "application/ssdl+xml": ["ssdl"],
  "application/ssml+xml": ["ssml"],
  "application/swid+xml": ["swidtag"],
  "application/tei+xml": ["tei", "teicorpus"],
  "application/thraud+xml": ["tfi"],
  "application/timestamped-data": ["tsd"],
  "application/toml": ["toml"],
  "application/trig": ["trig"],
  "application/ttml+xml": ["ttml"],
  "application/ubjson": ["ubj"],
  "application/urc-ressheet+xml": ["rsheet"],
  "application/urc-targetdesc+xml": ["td"],
  "application/voicexml+xml": ["vxml"],
  "application/wasm": ["wasm"],
  "application/watcherinfo+xml": ["wif"],
  "application/widget": ["wgt"],
  "application/winhlp": ["hlp"],
  "application/wsdl+xml": ["wsdl"],
  "application/wspolicy+xml": ["wspolicy"],
  "application/xaml+xml": ["xaml"],
  "application/xcap-att+xml": ["xav"],
  "application/xcap-caps+xml": ["xca"],
  "application/xcap-diff+xml": ["xdf"],
  "application/xcap-el+xml": ["xel"],
  "application/xcap-ns+xml": ["xns"],
  "application/xenc+xml": ["xenc"],
  "application/xfdf": ["xfdf"],
  "application/xhtml+xml": ["xhtml", "xht"],
  "application/xliff+xml": ["xlf"],
  "application/xml": ["xml", "xsl", "xsd", "rng"],
  "application/xml-dtd": ["dtd"],
  "application/xop+xml": ["xop"],
  "application/xproc+xml": ["xpl"],
  "application/xslt+xml": ["*xsl", "xslt"],
  "application/xspf+xml": ["xspf"],
  "application/xv+xml": ["mxml", "xhvml", "xvml", "xvm"],
  "application/yang": ["yang"],
  "application/yin+xml": ["yin"],
  "application/zip": ["zip"],
  "application/zip+dotlottie": ["lottie"],
  "audio/3gpp": ["*3gpp"],
  "audio/aac": ["adts", "aac"],
  "audio/adpcm": ["adp"],
  "audio/amr": ["amr"],
  "audio/basic": ["au", "snd"],
  "audio/midi": ["mid", "midi", "kar", "rmi"],
  "audio/mobile-xmf": ["mxmf"],
  "audio/mp3": ["*mp3"],
  "audio/mp4": ["m4a", "mp4a", "m4b"],
  "audio/mpeg": ["mpga", "mp2", "mp2a", "mp3", "m2a", "m3a"],
  "audio/ogg": ["oga", "ogg", "spx", "opus"],
  "audio/s3m": ["s3m"],
  "audio/silk": ["sil"],
  "audio/wav": ["wav"],
  "audio/wave": ["*wav"],
  "audio/webm": ["weba"],
  "audio/xm": ["xm"],
  "font/collection": ["ttc"],
  "font/otf": ["otf"],
  "font/ttf": ["ttf"],
  "font/woff": ["woff"],
  "font/woff2": ["woff2"],
  "image/aces": ["exr"],
  "image/apng": ["apng"],
  "image/avci": ["avci"],
  "image/avcs": ["avcs"],
  "image/avif": ["avif"],
  "image/bmp": ["bmp", "dib"],
  "image/cgm": ["cgm"],
  "image/dicom-rle": ["drle"],
  "image/dpx": ["dpx"],
  "image/emf": ["emf"],
  "image/fits": ["fits"],
  "image/g3fax": ["g3"],
  "image/gif": ["gif"],
  "image/heic": ["heic"],
  "image/heic-sequence": ["heics"],
  "image/heif": ["heif"],
  "image/heif-sequence": ["heifs"],
  "image/hej2k": ["hej2"],
  "image/ief": ["ief"],
  "image/jaii": ["jaii"],
  "image/jais": ["jais"],
  "image/jls": ["jls"],
  "image/jp2": ["jp2", "jpg2"],
  "image/jpeg": ["jpg", "jpeg", "jpe"],
  "image/jph": ["jph"],
  "image/jphc": ["jhc"],
  "image/jpm": ["jpm", "jpgm"],
  "image/jpx": ["jpx", "jpf"],
  "image/jxl": ["jxl"],
  "image/jxr": ["jxr"],
  "image/jxra": ["jxra"],
  "image/jxrs": ["jxrs"],
  "image/jxs": ["jxs"],
  "image/jxsc": ["jxsc"],
  "image/jxsi": ["jxsi"],
  "image/jxss": ["jxss"],
  "image/ktx": ["ktx"],
  "image/ktx2": ["ktx2"],
  "image/pjpeg": ["jfif"],
  "image/png": ["png"],
  "image/sgi": ["sgi"],
  "image/svg+xml": ["svg", "svgz"],
  "image/t38": ["t38"],
  "image/tiff": ["tif", "tiff"],
  "image/tiff-fx": ["tfx"],
  "image/webp": ["webp"],
  "image/wmf": ["wmf"],
  "message/disposition-notification": ["disposition-notification"],
  "message/global": ["u8msg"],
  "message/global-delivery-status": ["u8dsn"],
  "message/global-disposition-notification": ["u8mdn"],
  "message/global-headers": ["u8hdr"],
  "message/rfc822": ["eml", "mime", "mht", "mhtml"],
  "model/3mf": ["3mf"],
  "model/gltf+json": ["gltf"],
  "model/gltf-binary": ["glb"],
  "model/iges": ["igs", "iges"],
  "model/jt": ["jt"],
  "model/mesh": ["msh", "mesh", "silo"],
  "model/mtl": ["mtl"],
  "model/obj": ["obj"],
  "model/prc": ["prc"],
  "model/step": ["step", "stp", "stpnc", "p21", "210"],
  "model/step+xml": ["stpx"],
  "model/step+zip": ["stpz"],
  "model/step-xml+zip": ["stpxz"],
  "model/stl": ["stl"],
  "model/u3d": ["u3d"],
  "model/vrml": ["wrl", "vrml"],
  "model/x3d+binary": ["*x3db", "x3dbz"],
  "model/x3d+fastinfoset": ["x3db"],
  "model/x3d+vrml": ["*x3dv", "x3dvz"],
  "model/x3d+xml": ["x3d", "x3dz"],
  "model/x3d-vrml": ["x3dv"],
  "text/cache-manifest": ["appcache", "manifest"],
  "text/calendar": ["ics", "ifb"],
  "text/coffeescript": ["coffee", "litcoffee"],
  "text/css": ["css"],
  "text/csv": ["csv"],
  "text/html": ["html", "htm", "shtml"],
  "text/jade": ["jade"],
  "text/javascript": ["js", "mjs"],
  "text/jsx": ["jsx"],
  "text/less": ["less"],
  "text/markdown": ["md", "markdown"],
  "text/mathml": ["mml"],
  "text/mdx": ["mdx"],
  "text/n3": ["n3"],
  "text/plain": ["txt", "text", "conf", "def", "list", "log", "in", "ini"],
  "text/richtext": ["rtx"],
  "text/rtf": ["*rtf"],
  "text/sgml": ["sgml", "sgm"],
  "text/shex": ["shex"],
  "text/slim": ["slim", "slm"],
  "text/spdx": ["spdx"],
  "text/stylus": ["stylus", "styl"],
  "text/tab-separated-values": ["tsv"],
  "text/troff": ["t", "tr", "roff", "man", "me", "ms"],
  "text/turtle": ["ttl"],
  "text/uri-list": ["uri", "uris", "urls"],
  "text/vcard": ["vcard"],
  "text/vtt": ["vtt"],
  "text/wgsl": ["wgsl"],
  "text/xml": ["*xml"],
  "text/yaml": ["yaml", "yml"],
  "video/3gpp": ["3gp", "3gpp"],
  "video/3gpp2": ["3g2"],
  "video/h261": ["h261"],
  "video/h263": ["h263"],
  "video/h264": ["h264"],
  "video/iso.segment": ["m4s"],
  "video/jpeg": ["jpgv"],
  "video/jpm": ["*jpm", "*jpgm"],
  "video/mj2": ["mj2", "mjp2"],
  "video/mp2t": ["ts", "m2t", "m2ts", "mts"],
  "video/mp4": ["mp4", "mp4v", "mpg4"],
  "video/mpeg": ["mpeg", "mpg", "mpe", "m1v", "m2v"],
  "video/ogg": ["ogv"],
  "video/quicktime": ["qt", "mov"],
  "video/webm": ["webm"]
};
Object.freeze(types2);
var standard_default = types2;

// node_modules/mime/dist/src/Mime.js
var __classPrivateFieldGet = function(receiver, state, kind, f) {
  if (kind === "a" && !f) throw new TypeError("Private accessor was defined without a getter");
  if (typeof state === "function" ? receiver !== state || !f : !state.has(receiver)) throw new TypeError("Cannot read private member from an object whose class did not declare it");
  return kind === "m" ? f : kind === "a" ? f.call(receiver) : f ? f.value : state.get(receiver);
};
var _Mime_extensionToType;
var _Mime_typeToExtension;
var _Mime_typeToExtensions;
var Mime = class {
  constructor(...args) {
    _Mime_extensionToType.set(this, /* @__PURE__ */ new Map());
    _Mime_typeToExtension.set(this, /* @__PURE__ */ new Map());
    _Mime_typeToExtensions.set(this, /* @__PURE__ */ new Map());
    for (const arg of args) {
      this.define(arg);
    }
  }
  define(typeMap, force = false) {
    for (let [type, extensions] of Object.entries(typeMap)) {
      type = type.toLowerCase();
      extensions = extensions.map((ext2) => ext2.toLowerCase());
      let allExtensions = __classPrivateFieldGet(this, _Mime_typeToExtensions, "f").get(type);
      if (!allExtensions) {
        allExtensions = /* @__PURE__ */ new Set();
        __classPrivateFieldGet(this, _Mime_typeToExtensions, "f").set(type, allExtensions);
      }
      let first = true;
      for (let extension of extensions) {
        const starred = extension.startsWith("*");
        extension = starred ? extension.slice(1) : extension;
        allExtensions.add(extension);
        if (first) {
          __classPrivateFieldGet(this, _Mime_typeToExtension, "f").set(type, extension);
        }
        first = false;
        if (starred)
          continue;
        const currentType = __classPrivateFieldGet(this, _Mime_extensionToType, "f").get(extension);
        if (currentType && currentType != type && !force) {
          throw new Error(`"${type} -> ${extension}" conflicts with "${currentType} -> ${extension}". Pass \`force=true\` to override this definition.`);
        }
        __classPrivateFieldGet(this, _Mime_extensionToType, "f").set(extension, type);
      }
    }
    return this;
  }
  getType(path6) {
    if (typeof path6 !== "string")
      return null;
    const last = path6.replace(/^.*[/\\]/s, "").toLowerCase();
    const ext2 = last.replace(/^.*\./s, "").toLowerCase();
    const hasPath = last.length < path6.length;
    const hasDot = ext2.length < last.length - 1;
    if (!hasDot && hasPath)
      return null;
    return __classPrivateFieldGet(this, _Mime_extensionToType, "f").get(ext2) ?? null;
  }
  getExtension(type) {
    if (typeof type !== "string")
      return null;
    type = type?.split?.(";")[0];
    return (type && __classPrivateFieldGet(this, _Mime_typeToExtension, "f").get(type.trim().toLowerCase())) ?? null;
  }
  getAllExtensions(type) {
    if (typeof type !== "string")
      return null;
    type = type.split(";")[0].trim().toLowerCase();
    const extensions = __classPrivateFieldGet(this, _Mime_typeToExtensions, "f").get(type);
    return extensions ? new Set(extensions) : null;
  }
  _freeze() {
    this.define = () => {
      throw new Error("define() not allowed for built-in Mime objects. See https://github.com/broofa/mime/blob/main/README.md#custom-mime-instances");
    };
    Object.freeze(this);
    return this;
  }
  _getTestState() {
    return {
      types: __classPrivateFieldGet(this, _Mime_extensionToType, "f"),
      extensions: __classPrivateFieldGet(this, _Mime_typeToExtension, "f")
    };
  }
};
_Mime_extensionToType = /* @__PURE__ */ new WeakMap(), _Mime_typeToExtension = /* @__PURE__ */ new WeakMap(), _Mime_typeToExtensions = /* @__PURE__ */ new WeakMap();
var Mime_default = Mime;

// node_modules/mime/dist/src/index.js
var src_default = new Mime_default(standard_default, other_default)._freeze();

// src/mime/attachment.ts
var FALLBACK_TYPE = "application/octet-stream";
var MEDIA_TYPE = /^[A-Za-z0-9!#$&+\-.^_`{|}~]{1,127}\/[A-Za-z0-9!#$&+\-.^_`{|}~]{1,127}$/;
var CONTENT_ID = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.@]+$/;
var MAX_CONTENT_ID = 998 - "Content-ID: <>".length;
function lookupContentType(filename) {
  return src_default.getType(filename) ?? FALLBACK_TYPE;
}
function deduplicateNames(names) {
  const taken = new Set(names.map((name) => name.toLowerCase()));
  const seen = /* @__PURE__ */ new Set();
  return names.map((name) => {
    if (!seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      return name;
    }
    const dot = name.lastIndexOf(".");
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    let counter = 2;
    let candidate = `${stem} (${counter})${extension}`;
    while (taken.has(candidate.toLowerCase()) || seen.has(candidate.toLowerCase())) {
      counter += 1;
      candidate = `${stem} (${counter})${extension}`;
    }
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}
function createAttachmentEntities(attachments, reservedNames = []) {
  const names = deduplicateNames([
    ...reservedNames,
    ...attachments.map((a, i) => checkFilename(a.filename, `attachments[${i}].filename`))
  ]).slice(reservedNames.length);
  return attachments.map((attachment, i) => {
    const filename = names[i] ?? attachment.filename;
    const field = `attachments[${i}].contentType`;
    return createFileEntity(attachment.content, filename, attachment.contentType, field, {
      type: "attachment"
    });
  });
}
function createInlineEntities(inline) {
  const ids = /* @__PURE__ */ new Set();
  const named = inline.flatMap(
    (item, i) => item.filename === void 0 ? [] : [checkFilename(item.filename, `inline[${i}].filename`)]
  );
  const unique = deduplicateNames(named);
  let nameIndex = 0;
  const entities = inline.map((item, i) => {
    const contentId = checkContentId(item.contentId, `inline[${i}].contentId`);
    if (ids.has(contentId.toLowerCase())) {
      throw new MimeInputError(
        `inline[${i}].contentId`,
        `"${contentId}" is used by an earlier inline part; give each inline part its own id.`
      );
    }
    ids.add(contentId.toLowerCase());
    const filename = item.filename === void 0 ? void 0 : unique[nameIndex++];
    const field = `inline[${i}].contentType`;
    return createFileEntity(item.content, filename, item.contentType, field, {
      type: "inline",
      contentId
    });
  });
  return { entities, names: unique };
}
function createFileEntity(content, filename, contentType, field, role) {
  const type = checkContentType(contentType, field) ?? lookupContentType(filename ?? "");
  const parameters = filename === void 0 ? [] : [["filename", filename]];
  return createLeafEntity({
    contentType: type,
    // `name` on Content-Type is obsolete (RFC 2046 4.5.1) but still what some readers show.
    typeParameters: filename === void 0 ? [] : [["name", filename]],
    disposition: { type: role.type, parameters },
    ...role.contentId === void 0 ? {} : { contentId: role.contentId },
    // A text/* file that is already 7-bit clean travels as is, readable in the raw message.
    kind: type.startsWith("text/") ? "attached-text" : "binary",
    content
  });
}
function checkFilename(filename, field) {
  const clean = cleanParameterText(filename).trim();
  if (clean === "") {
    throw new MimeInputError(field, "the file name is empty; give the file a name to show.");
  }
  return clean;
}
function checkContentType(contentType, field) {
  if (contentType === void 0) return void 0;
  const trimmed = contentType.trim().toLowerCase();
  if (!MEDIA_TYPE.test(trimmed) || trimmed.startsWith("multipart/")) {
    throw new MimeInputError(
      field,
      `${quoteValue(contentType)} is not a media type; expected type/subtype such as application/pdf, each name at most 127 characters (RFC 6838 4.2), without parameters, and not multipart/*.`
    );
  }
  return trimmed;
}
function checkContentId(contentId, field) {
  const bare = contentId.startsWith("<") && contentId.endsWith(">") ? contentId.slice(1, -1) : contentId;
  if (!CONTENT_ID.test(bare) || bare.length > MAX_CONTENT_ID) {
    throw new MimeInputError(
      field,
      `${quoteValue(contentId)} is not a usable content id; use letters, digits and .-_@ only, at most ${MAX_CONTENT_ID} of them, as in "logo" for <img src="cid:logo">.`
    );
  }
  return bare;
}

// src/mime/multipart.ts
function planShape(contents) {
  const inline = range(contents.inlineCount).map((index) => ({ kind: "inline", index }));
  const html = contents.hasHtml ? [wrap("related", [{ kind: "html" }, ...inline])] : [];
  const text2 = contents.hasText ? [{ kind: "text" }] : [];
  const body = [...text2, ...html];
  const alternative = body.length > 0 ? [wrap("alternative", body)] : [];
  const attachments = range(contents.attachmentCount).map(
    (index) => ({ kind: "attachment", index })
  );
  const root = [...alternative, ...attachments];
  if (root.length === 0) throw new RangeError("a message needs at least one part");
  return wrap("mixed", root);
}
function wrap(subtype, children) {
  const [only] = children;
  if (children.length === 1 && only !== void 0) return only;
  return { kind: "multipart", subtype, children };
}
function range(count) {
  return Array.from({ length: count }, (_2, i) => i);
}
var MAX_BOUNDARY = 70;
var BOUNDARY_PREFIX = "=_smtp-notify_";
var BOUNDARY_RANDOM_BYTES = 18;
var MAX_BOUNDARY_ATTEMPTS = 16;
function createMultipart(subtype, children, randomBytes2) {
  const boundary = createBoundary(children, randomBytes2);
  const parameters = subtype === "related" ? [["type", "text/html"]] : [];
  parameters.push(["boundary", boundary]);
  const body = [];
  for (const [i, child] of children.entries()) {
    const opening = i === 0 ? `--${boundary}\r
` : `\r
--${boundary}\r
`;
    body.push(toAsciiBytes(`${opening}${child.headers}\r
`), ...child.body);
  }
  body.push(toAsciiBytes(`\r
--${boundary}--\r
`));
  return { headers: formatContentHeader("Content-Type", `multipart/${subtype}`, parameters), body };
}
function createBoundary(children, randomBytes2) {
  for (let attempt = 0; attempt < MAX_BOUNDARY_ATTEMPTS; attempt += 1) {
    const random = Buffer.from(randomBytes2(BOUNDARY_RANDOM_BYTES)).toString("hex");
    const boundary = `${BOUNDARY_PREFIX}${random}`.slice(0, MAX_BOUNDARY);
    if (!children.some((child) => occursIn(child, boundary))) return boundary;
  }
  throw new Error(
    `no boundary absent from the content after ${MAX_BOUNDARY_ATTEMPTS} attempts; the random source is not random`
  );
}
function occursIn(entity, boundary) {
  const needle = Buffer.from(boundary, "latin1");
  if (entity.headers.includes(boundary)) return true;
  return entity.body.some(
    (chunk) => chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).includes(needle) : chunk.mayContain(boundary)
  );
}

// src/mime/message-body.ts
var utf82 = new TextEncoder();
function buildMessageBody(input, randomBytes2) {
  const inline = input.inline ?? [];
  if (inline.length > 0 && input.html === void 0) {
    throw new MimeInputError(
      "inline",
      "inline parts are shown by an HTML body through cid: links; add html, or send the files as attachments."
    );
  }
  const inlineParts = createInlineEntities(inline);
  const attachments = createAttachmentEntities(input.attachments ?? [], inlineParts.names);
  const shape = planShape({
    hasText: input.text !== void 0,
    hasHtml: input.html !== void 0,
    inlineCount: inlineParts.entities.length,
    attachmentCount: attachments.length
  });
  const leaves = {
    text: () => createTextEntity("text/plain", input.text ?? ""),
    html: () => createTextEntity("text/html", input.html ?? ""),
    inline: inlineParts.entities,
    attachments
  };
  return buildNode(shape, leaves, randomBytes2);
}
function buildNode(shape, leaves, randomBytes2) {
  switch (shape.kind) {
    case "text":
      return leaves.text();
    case "html":
      return leaves.html();
    case "inline":
      return pick(leaves.inline, shape.index);
    case "attachment":
      return pick(leaves.attachments, shape.index);
    case "multipart": {
      const children = shape.children.map((child) => buildNode(child, leaves, randomBytes2));
      return createMultipart(shape.subtype, children, randomBytes2);
    }
  }
}
function pick(entities, index) {
  const entity = entities[index];
  if (entity === void 0) throw new RangeError(`no part at index ${index}`);
  return entity;
}
function createTextEntity(contentType, text2) {
  return createLeafEntity({
    contentType,
    typeParameters: [["charset", "utf-8"]],
    kind: "text",
    content: utf82.encode(text2.replace(/\r\n|\r|\n/g, "\r\n"))
  });
}

// src/mime/header-fold.ts
var TARGET_LINE_LENGTH = 78;
var MAX_LINE_OCTETS2 = 998;
var TOKENS = /[ \t]*[^ \t]+|[ \t]+$/g;
function getFirstLineRoom(name) {
  return TARGET_LINE_LENGTH - `${name}: `.length;
}
function foldLines(name, value) {
  const tokens = value.match(TOKENS) ?? [];
  const lines = [];
  let line = `${name}:`;
  tokens.forEach((token, index) => {
    if (index === 0) {
      line += ` ${token.trimStart()}`;
    } else if (line.length + token.length > TARGET_LINE_LENGTH && /[^ \t]/.test(token)) {
      lines.push(line);
      line = token;
    } else {
      line += token;
    }
  });
  lines.push(line);
  return lines;
}
var fitsLine = (line) => Buffer.byteLength(line, "utf8") <= MAX_LINE_OCTETS2;
function fitsFolded(name, value) {
  return foldLines(name, value).every(fitsLine);
}
function foldField(name, value) {
  const lines = foldLines(name, value);
  if (!lines.every(fitsLine)) {
    throw new MimeInputError(
      name,
      `the value has a word too long for one header line (over ${MAX_LINE_OCTETS2} bytes after folding, RFC 5322 2.1.1); shorten it`
    );
  }
  return lines.map((line) => `${line}\r
`).join("");
}

// src/mime/header.ts
var FIELD_KINDS = /* @__PURE__ */ new Map([
  ["subject", "text"],
  ["from", "address"],
  ["sender", "address"],
  ["reply-to", "address"],
  ["to", "address"],
  ["cc", "address"],
  // RFC 5322 3.6.3: Bcc recipients go in the SMTP envelope only; the composer never writes it.
  ["bcc", "refused"],
  ["date", "structured"],
  ["message-id", "structured"],
  ["in-reply-to", "structured"],
  ["references", "structured"],
  ["mime-version", "structured"],
  ["content-type", "structured"],
  ["content-transfer-encoding", "structured"],
  ["content-disposition", "structured"],
  ["content-id", "structured"]
]);
var SINGLE_FIELDS = /* @__PURE__ */ new Set([
  "date",
  "from",
  "sender",
  "reply-to",
  "to",
  "cc",
  "bcc",
  "message-id",
  "in-reply-to",
  "references",
  "subject",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "content-disposition",
  "content-id",
  "content-description"
]);
var FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
var FORBIDDEN_IN_TEXT = /(?!\t)[\p{Cc}\u2028\u2029\p{Cs}]/u;
var STRUCTURED_VALUE = /^[\t\x20-\x7e]*$/;
var SUBJECT_BREAKS = /[ \p{Cc}\u2028\u2029]+/gu;
var LONE_SURROGATE = new RegExp("\\p{Cs}", "gu");
function normaliseSubject(text2) {
  return text2.replace(LONE_SURROGATE, "\uFFFD").replace(SUBJECT_BREAKS, " ").trim();
}
function describeChar(char) {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}
var HeaderBlock = class {
  #fields = [];
  /** An unstructured field (RFC 5322 3.2.5): Subject or an extra header; encoded as needed. */
  setText(name, value) {
    this.#admit(name, "text");
    const bad = FORBIDDEN_IN_TEXT.exec(value);
    if (bad !== null) {
      throw new MimeInputError(
        name,
        `the value contains ${describeChar(bad[0])} at position ${bad.index}; a header value must be one line without control characters (use normaliseSubject for a subject)`
      );
    }
    const encode = needsEncoding(value) || value !== value.trim() || !fitsFolded(name, value);
    const encoded = encode ? encodeWords(value, "text", getFirstLineRoom(name)).join(" ") : value;
    return this.#add(name, encoded);
  }
  /** An address field (From, To, Cc, Reply-To, ...): mailboxes separated by commas. */
  setAddresses(name, mailboxes) {
    this.#admit(name, "address");
    if (mailboxes.length === 0) {
      throw new MimeInputError(name, "at least one address is required");
    }
    const room = getFirstLineRoom(name);
    const formatted = mailboxes.map(
      (mailbox, i) => formatMailbox(mailbox, name, i === 0 ? room : void 0)
    );
    return this.#add(name, formatted.join(", "));
  }
  /**
   * A structured field whose value the caller built to its RFC's grammar (Message-ID, Date,
   * MIME-Version, Content-Type, ...). It is still checked: printable ASCII, space and tab only.
   */
  setStructured(name, value) {
    this.#admit(name, "structured");
    const trimmed = value.trim();
    if (trimmed === "" || !STRUCTURED_VALUE.test(trimmed)) {
      throw new MimeInputError(
        name,
        `${quoteValue(value)} is not a valid structured value: it must be non-empty printable ASCII on one line`
      );
    }
    return this.#add(name, trimmed);
  }
  has(name) {
    const key = name.toLowerCase();
    return this.#fields.some((field) => field.key === key);
  }
  /** All fields in the order they were set, folded, each line ending in CRLF. */
  toString() {
    return this.#fields.map((field) => field.lines).join("");
  }
  #admit(name, setter) {
    if (!FIELD_NAME.test(name)) {
      throw new MimeInputError(
        "headers",
        `${quoteValue(name)} is not a valid header name: use printable ASCII letters, digits and punctuation other than ":" (RFC 5322 2.2)`
      );
    }
    const key = name.toLowerCase();
    const kind = FIELD_KINDS.get(key);
    if (kind === "refused") {
      throw new MimeInputError(
        name,
        `${name} is never written into a message; blind copies belong in the SMTP envelope`
      );
    }
    if (kind !== void 0 && kind !== setter) {
      throw new MimeInputError(name, `${name} must be set as a ${kind} field, not as ${setter}`);
    }
    if (SINGLE_FIELDS.has(key) && this.has(key)) {
      throw new MimeInputError(name, `${name} may appear only once in a message (RFC 5322 3.6)`);
    }
  }
  #add(name, value) {
    this.#fields.push({ key: name.toLowerCase(), lines: foldField(name, value) });
    return this;
  }
};

// src/mime/message-headers.ts
var RESERVED_HEADERS = /* @__PURE__ */ new Map([
  ["from", "the from input"],
  ["to", "the to input"],
  ["cc", "the cc input"],
  ["bcc", "the bcc input (Bcc is never written into the message)"],
  ["reply-to", "the replyTo input"],
  ["subject", "the subject input"],
  ["date", "nothing: it is set from the clock when the message is composed"],
  ["message-id", "messageIdDomain to choose its domain; the id itself is random"],
  ["in-reply-to", "the inReplyTo input"],
  ["references", "the references input"],
  ["mime-version", "nothing: it is always 1.0"],
  ["x-priority", "the priority input"],
  ["importance", "the priority input"],
  ["auto-submitted", "nothing: it is always auto-generated (RFC 3834)"],
  ["sender", "the from input; a separate Sender is not supported"],
  ["return-path", "nothing: the receiving server adds it from the envelope"],
  ["received", "nothing: servers add it in transit"]
]);
var ID_TEXT = String.raw`[A-Za-z0-9!#$%&'*+/=?^_\x60{|}~.-]+`;
var MESSAGE_ID = new RegExp(String.raw`^<${ID_TEXT}@(?:${ID_TEXT}|\[[\x21-\x5a\x5e-\x7e]*\])>$`);
var PRIORITY_HEADERS = {
  high: { xPriority: "1", importance: "high" },
  normal: { xPriority: "3", importance: "normal" },
  low: { xPriority: "5", importance: "low" }
};
function buildMessageHeaders(input, addresses, messageId, date) {
  const block = new HeaderBlock();
  block.setAddresses("From", [addresses.from]);
  if (addresses.to.length > 0) block.setAddresses("To", addresses.to);
  if (addresses.cc.length > 0) block.setAddresses("Cc", addresses.cc);
  if (addresses.replyTo.length > 0) block.setAddresses("Reply-To", addresses.replyTo);
  if (input.subject !== void 0) block.setText("Subject", normaliseSubject(input.subject));
  block.setStructured("Date", formatDate(date));
  block.setStructured("Message-ID", messageId);
  block.setStructured("MIME-Version", "1.0");
  if (input.inReplyTo !== void 0) {
    block.setStructured("In-Reply-To", checkMessageId(input.inReplyTo, "inReplyTo"));
  }
  if (input.references !== void 0 && input.references.length > 0) {
    const ids = input.references.map((id, i) => checkMessageId(id, `references[${i}]`));
    block.setStructured("References", ids.join(" "));
  }
  if (input.priority !== void 0) {
    const { xPriority, importance } = PRIORITY_HEADERS[input.priority];
    block.setStructured("X-Priority", xPriority);
    block.setStructured("Importance", importance);
  }
  block.setStructured("Auto-Submitted", "auto-generated");
  for (const [i, [name, value]] of (input.headers ?? []).entries()) {
    checkExtraHeaderName(name, `headers[${i}]`);
    block.setText(name, value);
  }
  return block;
}
function isMessageId(id) {
  return MESSAGE_ID.test(id);
}
function checkMessageId(id, field) {
  const trimmed = id.trim();
  if (!MESSAGE_ID.test(trimmed)) {
    throw new MimeInputError(
      field,
      `${quoteValue(id)} is not a message id; expected <id@domain> as in a Message-ID header, angle brackets included (RFC 5322 3.6.4).`
    );
  }
  return trimmed;
}
function checkExtraHeaderName(name, field) {
  const key = name.toLowerCase();
  const instead = key.startsWith("content-") ? "text, html, attachments or inline: the composer writes every Content-* field" : RESERVED_HEADERS.get(key);
  if (instead !== void 0) {
    throw new MimeInputError(
      field,
      `the ${name} header is written by the composer and cannot be set here; use ${instead}.`
    );
  }
}

// src/mime/compose.ts
var utf83 = new TextEncoder();
var CRLF = utf83.encode("\r\n");
function composeMessage(input, options = {}) {
  const randomBytes2 = options.randomBytes ?? ((size) => cryptoRandomBytes(size));
  const now = options.now ?? (() => /* @__PURE__ */ new Date());
  const addresses = parseMessageAddresses(input);
  const recipients = collectRecipients(addresses);
  checkHasContent(input);
  const idDomain = input.messageIdDomain === void 0 ? domainOf(addresses.from.address) : toAsciiDomain(input.messageIdDomain, "messageIdDomain");
  const messageId = createMessageId(idDomain, randomBytes2);
  const headers = buildMessageHeaders(input, addresses, messageId, now());
  const body = buildMessageBody(input, randomBytes2);
  const chunks = [
    utf83.encode(`${headers.toString()}${body.headers}\r
`),
    ...body.body
  ];
  if (!endsWithLineBreak(body.body)) chunks.push(CRLF);
  const bytes = concatenateChunks(chunks);
  const all = [addresses.from, ...recipients, ...addresses.replyTo];
  return {
    bytes,
    size: bytes.length,
    messageId,
    envelope: {
      from: addresses.from.address,
      to: recipients.map((mailbox) => mailbox.address),
      smtpUtf8: all.some((mailbox) => mailbox.needsSmtpUtf8)
    },
    eightBit: false
  };
}
function parseMessageAddresses(input) {
  const list = (value, field) => value === void 0 ? [] : parseAddressList(value, field);
  return {
    from: parseMailbox(input.from, "from"),
    to: list(input.to, "to"),
    cc: list(input.cc, "cc"),
    bcc: list(input.bcc, "bcc"),
    replyTo: list(input.replyTo, "replyTo")
  };
}
function collectRecipients(addresses) {
  const seen = /* @__PURE__ */ new Set();
  const recipients = [];
  for (const mailbox of [...addresses.to, ...addresses.cc, ...addresses.bcc]) {
    const at2 = mailbox.address.lastIndexOf("@");
    const key = `${mailbox.address.slice(0, at2)}@${mailbox.address.slice(at2 + 1).toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push(mailbox);
  }
  if (recipients.length === 0) {
    throw new MimeInputError(
      "to",
      "no recipient given; put at least one address in to, cc or bcc."
    );
  }
  return recipients;
}
function checkHasContent(input) {
  const hasBody = input.text !== void 0 || input.html !== void 0;
  if (!hasBody && (input.attachments ?? []).length === 0) {
    throw new MimeInputError(
      "text",
      "the message has no content; give text or html (an empty text is allowed), or an attachment."
    );
  }
}
function domainOf(address) {
  return address.slice(address.lastIndexOf("@") + 1);
}

// src/action/thread.ts
import { createHash } from "node:crypto";
var THREAD_ID_DOMAIN = "thread.smtp-notify.invalid";
function createThreadId(github) {
  const key = [github.server_url, github.repository, github.workflow, github.ref].join("\0");
  const hex = createHash("sha256").update(key, "utf8").digest("hex");
  return `<${hex}@${THREAD_ID_DOMAIN}>`;
}
function createThreadHeaders(github, options) {
  const explicit = options.inReplyTo;
  if (!options.thread) {
    return { inReplyTo: explicit, references: explicit === void 0 ? [] : [explicit] };
  }
  const threadId = createThreadId(github);
  if (explicit === void 0 || explicit === threadId) {
    return { inReplyTo: threadId, references: [threadId] };
  }
  return { inReplyTo: explicit, references: [threadId, explicit] };
}

// src/action/message.ts
function buildMessageInput(message, parts, attachments, github) {
  const thread = createThreadHeaders(github, {
    thread: message.thread,
    inReplyTo: message.inReplyTo
  });
  return {
    from: message.from,
    ...optional("to", message.to),
    ...optional("cc", message.cc),
    ...optional("bcc", message.bcc),
    ...optional("replyTo", message.replyTo),
    subject: parts.subject,
    ...parts.text === void 0 ? {} : { text: parts.text },
    ...parts.html === void 0 ? {} : { html: parts.html },
    attachments,
    headers: message.headers,
    // Normal is what a reader assumes without the headers: only a real choice is written.
    ...message.priority === "normal" ? {} : { priority: message.priority },
    ...thread.inReplyTo === void 0 ? {} : { inReplyTo: thread.inReplyTo },
    references: thread.references
  };
}
function composeActionMessage(input) {
  try {
    return composeMessage(input);
  } catch (error2) {
    if (!(error2 instanceof MimeInputError)) throw error2;
    throw fromMimeInputError(error2, inputForField(error2.field));
  }
}
function inputForField(field) {
  const base = /^[A-Za-z]+/.exec(field)?.[0] ?? field;
  const names = {
    from: Inputs.from,
    to: Inputs.to,
    cc: Inputs.cc,
    bcc: Inputs.bcc,
    replyTo: Inputs.replyTo,
    subject: Inputs.subject,
    text: Inputs.body,
    html: Inputs.htmlBody,
    headers: Inputs.headers,
    priority: Inputs.priority,
    inReplyTo: Inputs.inReplyTo,
    references: Inputs.thread,
    attachments: Inputs.attachments,
    messageIdDomain: Inputs.from
  };
  return names[base] ?? field;
}
function listBccAddresses(bcc) {
  return bcc.trim() === "" ? [] : parseAddressList(bcc, Inputs.bcc).map((m) => m.address);
}
function optional(key, value) {
  return value.trim() === "" ? {} : { [key]: value };
}

// src/smtp/reply-text.ts
var UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
function escapeUnprintable(text2) {
  return text2.replace(
    UNPRINTABLE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}
function quoteValue2(value) {
  return escapeUnprintable(JSON.stringify(value) ?? String(value));
}
function formatReply(reply) {
  const lines = reply.lines.length > 0 ? reply.lines : [""];
  return escapeUnprintable(lines.map((line) => `${reply.code} ${line}`.trimEnd()).join(" / "));
}

// src/smtp/errors.ts
var SmtpError = class extends Error {
  name = "SmtpError";
  phase;
  command;
  reply;
  transient;
  /** Set by the transaction when it knows more than "nothing was delivered". */
  outcome = "not-delivered";
  /** Recipients an earlier transaction of this send delivered to (`outcome: 'partial'`). */
  delivered = [];
  /**
   * Recipients the server refused, each with its reply. For SmtpRecipientsError, every
   * recipient (nobody was accepted); for any other failure of a send, every refusal the session
   * heard before it failed, in earlier transactions and in the failing one, whatever the
   * outcome: no other report names them.
   */
  rejected = [];
  /** The redacted conversation up to the failure, for a debug log (set by sendMail). */
  transcript = [];
  constructor(message, details) {
    super(message, details.cause === void 0 ? void 0 : { cause: details.cause });
    this.phase = details.phase;
    this.command = details.command;
    this.reply = details.reply;
    this.transient = details.transient ?? false;
  }
  get code() {
    return this.reply?.code;
  }
  get enhancedCode() {
    return this.reply?.enhancedCode;
  }
  get isTransient() {
    return this.transient;
  }
  get isPermanent() {
    return !this.transient;
  }
};
var SmtpInputError = class extends SmtpError {
  name = "SmtpInputError";
  constructor(message, cause, phase = "input") {
    super(message, { phase, cause });
  }
};
var SmtpReplyError = class extends SmtpError {
  name = "SmtpReplyError";
};
var SmtpRecipientsError = class extends SmtpReplyError {
  name = "SmtpRecipientsError";
};
var SmtpProtocolError = class extends SmtpError {
  name = "SmtpProtocolError";
};
var SmtpConnectionError = class extends SmtpError {
  name = "SmtpConnectionError";
};
var SmtpTimeoutError = class extends SmtpError {
  name = "SmtpTimeoutError";
  get isTimeout() {
    return true;
  }
};
var SmtpTlsError = class extends SmtpError {
  name = "SmtpTlsError";
};
var SmtpAuthError = class extends SmtpError {
  name = "SmtpAuthError";
};
function matches(code, expected) {
  return typeof expected === "number" ? code === expected : String(code)[0] === expected;
}
function expectReply(reply, expected, context) {
  const accepted = Array.isArray(expected) ? expected : [expected];
  if (accepted.some((code) => matches(reply.code, code))) return reply;
  const ErrorType = context.errorType ?? SmtpReplyError;
  throw new ErrorType(`${context.command} failed: the server replied ${formatReply(reply)}`, {
    phase: context.phase,
    command: context.command,
    reply,
    transient: reply.code >= 400 && reply.code < 500
  });
}

// src/smtp/mail-parameters.ts
function refuse(message) {
  throw new SmtpInputError(message, void 0, "mail");
}
function chooseSize(send, capabilities) {
  if (!capabilities.keywords.has("SIZE")) return void 0;
  const limit = capabilities.size;
  if (limit !== void 0 && send.facts.wireSize > limit) {
    refuse(
      `The message is ${send.facts.wireSize} octets but the server accepts at most ${limit} (its SIZE limit); send smaller attachments.`
    );
  }
  return send.facts.wireSize;
}
function chooseBody(send, capabilities) {
  if (!send.facts.has8bit) return void 0;
  if (!capabilities.eightBitMime) {
    refuse(
      "The message contains 8-bit bytes but the server does not offer 8BITMIME; encode the message as 7-bit (quoted-printable or base64)."
    );
  }
  return "8BITMIME";
}
function chooseSmtpUtf8(send, capabilities) {
  const addresses = [send.sender, ...send.recipients];
  const needing = addresses.find((address) => address.needsSmtpUtf8);
  if (needing === void 0 && !send.smtpUtf8) return false;
  if (!capabilities.smtpUtf8) {
    const what = needing === void 0 ? "The message has UTF-8 addresses in its headers" : `The address ${JSON.stringify(needing.wire)} has a non-ASCII local part`;
    refuse(`${what}, which needs SMTPUTF8, and the server does not offer it; use ASCII addresses.`);
  }
  return true;
}
function chooseEnvelopeParameters(send, capabilities) {
  const mail = {};
  const rcpt = {};
  const warnings = [];
  const size = chooseSize(send, capabilities);
  if (size !== void 0) mail.size = size;
  const body = chooseBody(send, capabilities);
  if (body !== void 0) mail.body = body;
  if (chooseSmtpUtf8(send, capabilities)) mail.smtpUtf8 = true;
  const dsn = send.dsn;
  if (dsn !== void 0) {
    if (capabilities.dsn) {
      if (dsn.ret !== void 0) mail.ret = dsn.ret;
      if (dsn.envId !== void 0) mail.envId = dsn.envId;
      if (dsn.notify !== void 0) rcpt.notify = dsn.notify;
    } else {
      warnings.push(
        "Delivery status notifications were requested but the server does not offer DSN; sent without them."
      );
    }
  }
  return { mail, rcpt, warnings };
}

// src/smtp/options.ts
import { isIP as isIP2 } from "node:net";

// src/smtp/auth/mechanism.ts
function createAuthError(mechanism, message) {
  return new SmtpAuthError(message, { phase: "auth", command: `AUTH ${mechanism}` });
}
function quoteServerText(text2, limit = 120) {
  const printable = text2.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > limit ? `${printable.slice(0, limit)}...` : printable;
}
function encodeUtf8(text2) {
  return Buffer.from(text2, "utf8");
}
function decodeUtf8(bytes) {
  return Buffer.from(bytes).toString("utf8");
}

// src/smtp/auth/plain.ts
var PlainMechanism = class {
  name = "PLAIN";
  #message;
  constructor(credentials) {
    if (credentials.username.includes("\0") || credentials.password.includes("\0")) {
      throw new SmtpInputError(
        "The SMTP username or password contains a NUL character, which PLAIN (RFC 4616) cannot carry; remove it."
      );
    }
    this.#message = encodeUtf8(`\0${credentials.username}\0${credentials.password}`);
  }
  initialResponse() {
    return this.#message;
  }
  respond(_challenge) {
    throw createAuthError(
      this.name,
      "The server sent a challenge after the PLAIN initial response; PLAIN has no second step, so authentication was cancelled."
    );
  }
};

// src/smtp/auth/login.ts
function readPrompt(challenge) {
  const letters = decodeUtf8(challenge).toLowerCase().replace(/[^a-z]/g, "");
  if (letters === "username" || letters === "user") return "username";
  if (letters === "password") return "password";
  return void 0;
}
var LoginMechanism = class {
  name = "LOGIN";
  #credentials;
  #answered = /* @__PURE__ */ new Set();
  constructor(credentials) {
    this.#credentials = { ...credentials };
  }
  initialResponse() {
    return void 0;
  }
  respond(challenge) {
    const prompt = readPrompt(challenge);
    if (prompt === void 0) {
      throw createAuthError(
        this.name,
        `The server sent a LOGIN prompt that is neither a username nor a password prompt ("${quoteServerText(decodeUtf8(challenge))}"); authentication was cancelled. Choose another mechanism.`
      );
    }
    if (this.#answered.has(prompt)) {
      throw createAuthError(
        this.name,
        `The server asked for the ${prompt} twice during LOGIN; authentication was cancelled.`
      );
    }
    this.#answered.add(prompt);
    return encodeUtf8(
      prompt === "username" ? this.#credentials.username : this.#credentials.password
    );
  }
};

// src/smtp/auth/cram-md5.ts
import { createHmac } from "node:crypto";
var CramMd5Mechanism = class {
  name = "CRAM-MD5";
  #credentials;
  #answered = false;
  constructor(credentials) {
    this.#credentials = { ...credentials };
  }
  initialResponse() {
    return void 0;
  }
  respond(challenge) {
    if (this.#answered) {
      throw createAuthError(
        this.name,
        "The server sent a second CRAM-MD5 challenge; RFC 2195 has one, so authentication was cancelled."
      );
    }
    this.#answered = true;
    const digest = createHmac("md5", this.#credentials.password).update(challenge).digest("hex");
    return encodeUtf8(`${this.#credentials.username} ${digest}`);
  }
};

// src/smtp/auth/xoauth2.ts
function readField(json, key) {
  const value = json[key];
  return typeof value === "string" || typeof value === "number" ? quoteServerText(String(value), 200) : void 0;
}
function parseFailure(challenge) {
  try {
    const json = JSON.parse(decodeUtf8(challenge));
    if (typeof json !== "object" || json === null) return void 0;
    const record = json;
    return {
      status: readField(record, "status"),
      schemes: readField(record, "schemes"),
      scope: readField(record, "scope")
    };
  } catch {
    return void 0;
  }
}
var Xoauth2Mechanism = class {
  name = "XOAUTH2";
  #message;
  #failure;
  #challenged = false;
  constructor(credentials) {
    if (credentials.username.includes("") || credentials.password.includes("")) {
      throw new SmtpInputError(
        "The SMTP username or access token contains a \\x01 character, which XOAUTH2 uses as a separator; remove it."
      );
    }
    this.#message = encodeUtf8(
      `user=${credentials.username}auth=Bearer ${credentials.password}`
    );
  }
  initialResponse() {
    return this.#message;
  }
  respond(challenge) {
    if (this.#challenged) {
      throw createAuthError(
        this.name,
        "The server sent a second XOAUTH2 challenge; authentication was cancelled."
      );
    }
    this.#challenged = true;
    this.#failure = parseFailure(challenge) ?? {};
    return new Uint8Array(0);
  }
  describeFailure() {
    if (this.#failure === void 0) return void 0;
    const { status, schemes, scope } = this.#failure;
    const parts = [
      `XOAUTH2 status ${status ?? "unknown"}`,
      schemes === void 0 ? void 0 : `schemes ${schemes}`,
      scope === void 0 ? void 0 : `scope ${scope}`
    ];
    const hint = status === "401" || status === "400" ? "; the access token is invalid or expired, or lacks the scope: get a fresh token" : "";
    return `${parts.filter((part) => part !== void 0).join(", ")}${hint}`;
  }
};

// src/smtp/auth/scram-sha-256.ts
import { createHash as createHash2, createHmac as createHmac2, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

// src/smtp/auth/base64.ts
function encodeBase642(bytes) {
  return Buffer.from(bytes).toString("base64");
}
function decodeBase64Strict(text2) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text2) || text2.length % 4 !== 0) return void 0;
  const bytes = Buffer.from(text2, "base64");
  return bytes.toString("base64") === text2 ? new Uint8Array(bytes) : void 0;
}

// src/smtp/auth/saslprep.ts
var NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g;
var MAPPED_TO_NOTHING = (
  // eslint-disable-next-line no-misleading-character-class
  /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/g
);
var PROHIBITED = new RegExp(
  [
    "[\\p{Cc}\\p{Co}\\p{Cs}]",
    "[\\u00a0\\u1680\\u2000-\\u200b\\u202f\\u205f\\u3000]",
    "[\\u06dd\\u070f\\u180e\\u200c-\\u200f\\u2028-\\u202e\\u2060-\\u2063\\u206a-\\u206f]",
    "[\\u0340\\u0341\\u2ff0-\\u2ffb\\ufeff\\ufff9-\\ufffd\\ufdd0-\\ufdef]",
    "[\\u{1d173}-\\u{1d17a}\\u{e0001}\\u{e0020}-\\u{e007f}]",
    // Non-characters: U+FFFE and U+FFFF in every plane.
    "[\\ufffe\\uffff\\u{1fffe}\\u{1ffff}\\u{2fffe}\\u{2ffff}\\u{3fffe}\\u{3ffff}\\u{4fffe}\\u{4ffff}]",
    "[\\u{5fffe}\\u{5ffff}\\u{6fffe}\\u{6ffff}\\u{7fffe}\\u{7ffff}\\u{8fffe}\\u{8ffff}]",
    "[\\u{9fffe}\\u{9ffff}\\u{afffe}\\u{affff}\\u{bfffe}\\u{bffff}\\u{cfffe}\\u{cffff}]",
    "[\\u{dfffe}\\u{dffff}\\u{efffe}\\u{effff}\\u{ffffe}\\u{fffff}\\u{10fffe}\\u{10ffff}]"
  ].join("|"),
  "u"
);
function prepareSaslString(value) {
  const mapped = value.replace(NON_ASCII_SPACE, " ").replace(MAPPED_TO_NOTHING, "");
  const normalized = mapped.normalize("NFKC");
  return PROHIBITED.test(normalized) ? void 0 : normalized;
}

// src/smtp/auth/scram-sha-256.ts
var SCRAM_MIN_ITERATIONS = 4096;
var SCRAM_MAX_ITERATIONS = 1e6;
var GS2_HEADER = "n,,";
function escapeSaslName(name) {
  return name.replace(/=/g, "=3D").replace(/,/g, "=2C");
}
function hmac(key, text2) {
  return createHmac2("sha256", key).update(text2).digest();
}
function prepare(value, what) {
  const prepared = prepareSaslString(value);
  if (prepared === void 0) {
    throw new SmtpInputError(
      `The SMTP ${what} contains a character SASLprep (RFC 4013) prohibits (a control, private-use or non-character code point); SCRAM-SHA-256 cannot use it. Remove it or choose another mechanism.`
    );
  }
  return prepared;
}
function parseAttributes(message) {
  const attributes = /* @__PURE__ */ new Map();
  for (const part of message.split(",")) {
    const match3 = /^([a-zA-Z])=(.*)$/s.exec(part);
    if (match3?.[1] !== void 0 && match3[2] !== void 0 && !attributes.has(match3[1])) {
      attributes.set(match3[1], match3[2]);
    }
  }
  return attributes;
}
var ScramSha256Mechanism = class {
  name = "SCRAM-SHA-256";
  #username;
  #password;
  #createNonce;
  #clientFirstBare;
  #clientNonce = "";
  #pending;
  #verified = false;
  constructor(credentials, options = {}) {
    this.#username = prepare(credentials.username, "username");
    this.#password = prepare(credentials.password, "password");
    this.#createNonce = options.createNonce ?? (() => randomBytes(18).toString("base64"));
  }
  initialResponse() {
    this.#clientNonce = this.#createNonce();
    if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(this.#clientNonce)) {
      throw createAuthError(
        this.name,
        'The SCRAM client nonce must be printable ASCII without ",".'
      );
    }
    this.#clientFirstBare = `n=${escapeSaslName(this.#username)},r=${this.#clientNonce}`;
    return encodeUtf8(GS2_HEADER + this.#clientFirstBare);
  }
  respond(challenge) {
    const message = decodeUtf8(challenge);
    if (this.#pending === void 0 && this.#clientFirstBare !== void 0) {
      return encodeUtf8(this.#answerServerFirst(message, this.#clientFirstBare));
    }
    if (this.#pending !== void 0 && !this.#verified) {
      this.#checkServerFinal(message, this.#pending);
      return new Uint8Array(0);
    }
    throw createAuthError(this.name, "The server sent an unexpected SCRAM-SHA-256 challenge.");
  }
  verifySuccess(additionalData) {
    if (this.#verified) return;
    if (this.#pending !== void 0 && additionalData !== void 0) {
      this.#checkServerFinal(decodeUtf8(additionalData), this.#pending);
      return;
    }
    throw createAuthError(
      this.name,
      "The server accepted SCRAM-SHA-256 authentication without proving it knows the password (no server signature); the connection is not trusted. Check that this is the right server."
    );
  }
  /** RFC 5802 3 and 5.1: checks server-first and builds client-final with the client proof. */
  #answerServerFirst(serverFirst, clientFirstBare) {
    if (serverFirst.startsWith("m=")) {
      throw createAuthError(this.name, "The server requires a SCRAM extension this client lacks.");
    }
    const attributes = parseAttributes(serverFirst);
    const nonce = attributes.get("r") ?? "";
    const salt = decodeBase64Strict(attributes.get("s") ?? "");
    const iterations = Number(attributes.get("i"));
    if (!nonce.startsWith(this.#clientNonce) || nonce.length === this.#clientNonce.length) {
      throw createAuthError(this.name, "The SCRAM server nonce does not extend the client nonce.");
    }
    if (!/^[\x21-\x2b\x2d-\x7e]+$/.test(nonce) || salt === void 0 || salt.length === 0) {
      throw createAuthError(this.name, "The SCRAM server-first message is malformed.");
    }
    if (!/^\d+$/.test(attributes.get("i") ?? "") || iterations < SCRAM_MIN_ITERATIONS) {
      throw createAuthError(
        this.name,
        `The server asked for a SCRAM iteration count below ${SCRAM_MIN_ITERATIONS} (RFC 7677 4).`
      );
    }
    if (iterations > SCRAM_MAX_ITERATIONS) {
      throw createAuthError(
        this.name,
        `The server asked for more than ${SCRAM_MAX_ITERATIONS} SCRAM iterations; refused as a denial of service.`
      );
    }
    const withoutProof = `c=${encodeBase642(encodeUtf8(GS2_HEADER))},r=${nonce}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const salted = pbkdf2Sync(this.#password, salt, iterations, 32, "sha256");
    const clientKey = hmac(salted, "Client Key");
    const storedKey = createHash2("sha256").update(clientKey).digest();
    const clientSignature = hmac(storedKey, authMessage);
    const proof = clientKey.map((byte, index) => byte ^ (clientSignature[index] ?? 0));
    this.#pending = { serverSignature: hmac(hmac(salted, "Server Key"), authMessage) };
    return `${withoutProof},p=${encodeBase642(proof)}`;
  }
  /** RFC 5802 3: the client authenticates the server by checking its signature `v=`. */
  #checkServerFinal(serverFinal, pending) {
    const attributes = parseAttributes(serverFinal);
    const error2 = attributes.get("e");
    if (error2 !== void 0) {
      throw createAuthError(
        this.name,
        `The server rejected SCRAM-SHA-256 authentication: ${quoteServerText(error2)}.`
      );
    }
    const signature = decodeBase64Strict(attributes.get("v") ?? "");
    const expected = pending.serverSignature;
    if (signature === void 0 || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw createAuthError(
        this.name,
        "The SCRAM-SHA-256 server signature is wrong: the server does not know the password, so it may be an impostor. The connection is not trusted."
      );
    }
    this.#verified = true;
  }
};

// src/smtp/auth/choose.ts
var AUTH_MECHANISM_NAMES = [
  "PLAIN",
  "LOGIN",
  "CRAM-MD5",
  "XOAUTH2",
  "SCRAM-SHA-256"
];
var AUTO_ORDER = ["SCRAM-SHA-256", "CRAM-MD5", "PLAIN", "LOGIN"];
function isAuthMechanismName(name) {
  return AUTH_MECHANISM_NAMES.includes(name);
}
function createMechanism(name, credentials) {
  switch (name) {
    case "PLAIN":
      return new PlainMechanism(credentials);
    case "LOGIN":
      return new LoginMechanism(credentials);
    case "CRAM-MD5":
      return new CramMd5Mechanism(credentials);
    case "XOAUTH2":
      return new Xoauth2Mechanism(credentials);
    case "SCRAM-SHA-256":
      return new ScramSha256Mechanism(credentials);
  }
}
function describeOffered(offered) {
  return offered.length === 0 ? "none" : offered.join(", ");
}
function chooseMechanism(offered, preferred) {
  const names = new Set(offered.map((name) => name.toUpperCase()));
  if (preferred !== "auto") {
    if (names.has(preferred)) return preferred;
    throw new SmtpAuthError(
      `The server does not offer the ${preferred} authentication mechanism; it offers: ${describeOffered(offered)}. Set the mechanism to one of those, or to auto.`,
      { phase: "auth" }
    );
  }
  const chosen = AUTO_ORDER.find((name) => names.has(name));
  if (chosen !== void 0) return chosen;
  throw new SmtpAuthError(
    `The server offers no authentication mechanism this client supports (it offers: ${describeOffered(offered)}; supported: ${AUTO_ORDER.join(", ")}, and XOAUTH2 when set explicitly).`,
    { phase: "auth" }
  );
}

// src/smtp/commands.ts
var notifyEvents = ["SUCCESS", "FAILURE", "DELAY"];
var dsnReturns = ["FULL", "HDRS"];
var bodyTypes = ["7BIT", "8BITMIME"];
var MAX_COMMAND_LENGTH = 512;
var MAX_SASL_RESPONSE_LENGTH = 12288;
var FORBIDDEN2 = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/u;
var utf84 = new TextEncoder();
function checkText(value, what) {
  const match3 = FORBIDDEN2.exec(value);
  if (match3) {
    const codePoint = match3[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new SmtpInputError(
      `${what} contains the control character U+${codePoint} at position ${match3.index}; remove line breaks and control characters from the value.`
    );
  }
}
function checkOneOf(value, allowed, what) {
  if (typeof value === "string" && allowed.includes(value)) return value;
  throw new SmtpInputError(
    `${what} must be one of ${allowed.join(", ")}, not ${quoteValue2(value)}.`
  );
}
function encodeDsnText(value, what) {
  checkText(value, what);
  return encodeXtext(value);
}
function encodeLine(line, maxLength, what) {
  const body = utf84.encode(line);
  if (body.some((byte) => byte < 32 || byte === 127)) {
    throw new SmtpInputError(`${what} would put a control octet on the wire.`);
  }
  if (body.length + 2 > maxLength) {
    throw new SmtpInputError(
      `${what} is ${body.length + 2} octets long; the limit is ${maxLength} including CRLF (${maxLength === MAX_COMMAND_LENGTH ? "RFC 5321 4.5.3.1.4" : "RFC 4954 4"}). Shorten the address or parameter.`
    );
  }
  const bytes = new Uint8Array(body.length + 2);
  bytes.set(body);
  bytes[body.length] = 13;
  bytes[body.length + 1] = 10;
  return bytes;
}
function formatCommand(verb, ...args) {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(verb)) {
    checkText(verb, "The SMTP command verb");
    throw new SmtpInputError(`The SMTP command verb ${quoteValue2(verb)} is not a word.`);
  }
  args.forEach((arg, index) => checkText(arg, `Argument ${index + 1} of ${verb}`));
  return encodeLine([verb, ...args].join(" "), MAX_COMMAND_LENGTH, `The ${verb} command`);
}
function formatSaslResponse(response) {
  checkText(response, "The SASL response");
  return encodeLine(response, MAX_SASL_RESPONSE_LENGTH, "The SASL response");
}
function encodeXtext(value) {
  let encoded = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 127) {
      throw new SmtpInputError(
        `${quoteValue2(value)} contains non-ASCII characters, which xtext (RFC 3461 4) cannot carry; leave the DSN parameter out for this address.`
      );
    }
    const plain = code >= 33 && code <= 126 && char !== "+" && char !== "=";
    encoded += plain ? char : `+${code.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return encoded;
}
function checkDomainArgument(name, verb) {
  if (name === "" || /\s/.test(name)) {
    throw new SmtpInputError(
      `The ${verb} name ${quoteValue2(name)} must be a domain or an address literal without spaces.`
    );
  }
}
function checkPath(path6, what) {
  if (/[<>]/.test(path6)) {
    throw new SmtpInputError(
      `The ${what} ${quoteValue2(path6)} must be a bare mailbox, without angle brackets.`
    );
  }
}
function ehloCommand(name) {
  checkDomainArgument(name, "EHLO");
  return formatCommand("EHLO", name);
}
function heloCommand(name) {
  checkDomainArgument(name, "HELO");
  return formatCommand("HELO", name);
}
function formatMailParameters(params) {
  const args = [];
  if (params.size !== void 0) {
    if (!Number.isSafeInteger(params.size) || params.size < 0) {
      throw new SmtpInputError(`SIZE must be a whole number of octets, not ${params.size}.`);
    }
    args.push(`SIZE=${params.size}`);
  }
  if (params.body !== void 0) args.push(`BODY=${checkOneOf(params.body, bodyTypes, "BODY")}`);
  if (params.smtpUtf8 === true) args.push("SMTPUTF8");
  if (params.ret !== void 0) args.push(`RET=${checkOneOf(params.ret, dsnReturns, "RET")}`);
  if (params.envId !== void 0) {
    if (params.envId === "" || params.envId.length > 100) {
      throw new SmtpInputError("ENVID must be 1 to 100 characters long (RFC 3461 4.4).");
    }
    args.push(`ENVID=${encodeDsnText(params.envId, "ENVID")}`);
  }
  return args;
}
function mailCommand(reversePath, params = {}) {
  checkPath(reversePath, "sender address");
  return formatCommand("MAIL", `FROM:<${reversePath}>`, ...formatMailParameters(params));
}
function formatNotify(notify) {
  if (notify === void 0) return [];
  if (notify === "NEVER") return ["NOTIFY=NEVER"];
  if (!Array.isArray(notify) || notify.length === 0) {
    throw new SmtpInputError("NOTIFY needs at least one of SUCCESS, FAILURE or DELAY, or NEVER.");
  }
  const events = [...new Set(notify.map((event) => checkOneOf(event, notifyEvents, "NOTIFY")))];
  return [`NOTIFY=${events.join(",")}`];
}
function rcptCommand(forwardPath, params = {}) {
  checkPath(forwardPath, "recipient address");
  if (forwardPath === "") {
    throw new SmtpInputError("A recipient address may not be empty.");
  }
  if (params.orcpt === "") {
    throw new SmtpInputError(
      "ORCPT needs the original recipient address; leave it out if unknown."
    );
  }
  const orcpt = params.orcpt === void 0 ? [] : [`ORCPT=rfc822;${encodeDsnText(params.orcpt, "ORCPT")}`];
  return formatCommand("RCPT", `TO:<${forwardPath}>`, ...formatNotify(params.notify), ...orcpt);
}
function startTlsCommand() {
  return formatCommand("STARTTLS");
}
function dataCommand() {
  return formatCommand("DATA");
}
function rsetCommand() {
  return formatCommand("RSET");
}
function quitCommand() {
  return formatCommand("QUIT");
}

// src/smtp/redaction.ts
var redactedMark = "[redacted]";
var wholeTokenBelow = 4;
var wordCharacter = "[\\p{L}\\p{M}\\p{N}]";
function redactSecrets(text2, secrets) {
  const ordered = secrets.filter((secret) => secret !== "").sort((a, b) => b.length - a.length);
  return ordered.reduce((result, secret) => {
    if ([...secret].length >= wholeTokenBelow) return result.split(secret).join(redactedMark);
    return result.replace(wholeToken(secret), redactedMark);
  }, text2);
}
function wholeToken(secret) {
  const literal = secret.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  return new RegExp(`(?<!${wordCharacter})${literal}(?!${wordCharacter})`, "gu");
}
var maxCauseDepth = 8;
function redactReply(reply, transcript) {
  if (reply === void 0) return;
  reply.lines.forEach((line, index) => reply.lines[index] = transcript.redact(line));
}
function redactFailure(error2, transcript) {
  let current = error2;
  for (let depth = 0; current instanceof Error && depth < maxCauseDepth; depth += 1) {
    current.message = transcript.redact(current.message);
    if (typeof current.stack === "string") current.stack = transcript.redact(current.stack);
    if (current instanceof SmtpError) {
      redactReply(current.reply, transcript);
      for (const refused of current.rejected) redactReply(refused.reply, transcript);
    }
    current = current.cause;
  }
}

// src/smtp/auth/exchange.ts
var DEFAULT_MAX_CHALLENGES = 10;
var FAILURE_HINTS = {
  454: "the server could not authenticate just now; try again later",
  534: "the server finds this mechanism too weak or wants an app password; choose another mechanism or follow the link in its reply",
  535: "check the username and password (or token)",
  538: "the server requires an encrypted connection for this mechanism; use TLS"
};
var Redactor = class {
  #secrets;
  constructor(secrets) {
    this.#secrets = [...secrets];
  }
  remember(sent) {
    if (sent.length >= 4) this.#secrets.push(sent);
  }
  text(text2) {
    return redactSecrets(text2, this.#secrets);
  }
  reply(reply) {
    return { ...reply, lines: reply.lines.map((line) => this.text(line)) };
  }
};
function readChallenge(reply) {
  if (reply.lines.length > 1) return void 0;
  return decodeBase64Strict(reply.lines[0] ?? "");
}
async function authenticate(channel, mechanism, options = {}) {
  const command = `AUTH ${mechanism.name}`;
  const redactor = new Redactor(options.secrets ?? []);
  const maxChallenges = options.maxChallenges ?? DEFAULT_MAX_CHALLENGES;
  const encoded = encodeInitialResponse(mechanism.initialResponse());
  if (encoded !== void 0) redactor.remember(encoded);
  const inline = encoded !== void 0 && fitsAuthCommand(mechanism.name, encoded);
  let reply = await channel.send(inline ? `${command} ${encoded}` : command, inline);
  if (encoded !== void 0 && !inline && reply.code === 334) {
    reply = await channel.send(encoded, true);
  }
  for (let count = 1; reply.code === 334; count += 1) {
    const response = await answerChallenge(channel, mechanism, reply, count > maxChallenges);
    if (response instanceof Error) throw redactError(response, command, reply, redactor);
    redactor.remember(response);
    reply = await channel.send(response, response !== "");
  }
  if (reply.code !== 235) throw failWith(mechanism, command, redactor.reply(reply), redactor);
  try {
    verifySuccess(mechanism, reply);
  } catch (error2) {
    throw redactError(error2, command, reply, redactor);
  }
  return reply;
}
function encodeInitialResponse(initial) {
  return initial === void 0 ? void 0 : encodeBase642(initial) || "=";
}
function fitsAuthCommand(mechanism, initial) {
  const encoded = typeof initial === "string" ? initial : encodeInitialResponse(initial);
  return `AUTH ${mechanism} ${encoded}\r
`.length <= MAX_COMMAND_LENGTH;
}
async function answerChallenge(channel, mechanism, reply, overLimit) {
  const challenge = readChallenge(reply);
  let problem;
  if (overLimit) {
    problem = createAuthError(
      mechanism.name,
      `The server kept sending ${mechanism.name} challenges; authentication was cancelled.`
    );
  } else if (challenge === void 0) {
    problem = createAuthError(
      mechanism.name,
      `The server sent a ${mechanism.name} challenge that is not valid base64; authentication was cancelled.`
    );
  } else {
    try {
      return encodeBase642(mechanism.respond(challenge));
    } catch (error2) {
      problem = error2 instanceof Error ? error2 : new Error(String(error2));
    }
  }
  await cancel(channel);
  return problem;
}
async function cancel(channel) {
  try {
    await channel.send("*", false);
  } catch {
  }
}
function verifySuccess(mechanism, reply) {
  if (mechanism.verifySuccess === void 0) return;
  const data = reply.lines.length === 1 ? decodeBase64Strict(reply.lines[0] ?? "") : void 0;
  mechanism.verifySuccess(data !== void 0 && data.length > 0 ? data : void 0);
}
function redactError(error2, command, reply, redactor) {
  if (!(error2 instanceof SmtpError)) return error2;
  return new SmtpAuthError(redactor.text(error2.message), {
    phase: "auth",
    command,
    reply: redactor.reply(reply),
    transient: error2.transient
  });
}
function failWith(mechanism, command, reply, redactor) {
  try {
    expectReply(reply, 235, { phase: "auth", command, errorType: SmtpAuthError });
  } catch (error2) {
    if (!(error2 instanceof SmtpError)) return error2;
    const detail = mechanism.describeFailure?.();
    const hint = FAILURE_HINTS[reply.code];
    const extra = [detail, hint].filter((part) => part !== void 0).join("; ");
    const message = redactor.text(extra === "" ? error2.message : `${error2.message} (${extra})`);
    return new SmtpAuthError(message, {
      phase: "auth",
      command,
      reply,
      transient: error2.transient
    });
  }
  return new SmtpAuthError(`${command} failed with reply ${reply.code}.`, {
    phase: "auth",
    command
  });
}

// src/smtp/auth/secret-forms.ts
var MIN_FRAGMENT_LENGTH = 6;
function base64Fragment(secret, offset) {
  const encoded = encodeBase642(Buffer.concat([Buffer.alloc(offset), secret]));
  const startBit = offset * 8;
  const endBit = (offset + secret.length) * 8;
  const first = Math.ceil(startBit / 6);
  const last = Math.floor(endBit / 6);
  return encoded.slice(first, last);
}
function secretFormsOf(credentials) {
  const { username, password } = credentials;
  if (password === "") return [];
  const bytes = Buffer.from(password, "utf8");
  const forms = [
    password,
    encodeBase642(bytes),
    // LOGIN
    encodeBase642(Buffer.from(`\0${username}\0${password}`, "utf8")),
    // PLAIN, RFC 4616
    encodeBase642(Buffer.from(`user=${username}auth=Bearer ${password}`, "utf8")),
    // The password inside any other blob, whatever its byte alignment.
    ...[0, 1, 2].map((offset) => base64Fragment(bytes, offset))
  ];
  const useful = forms.filter((form) => form === password || form.length >= MIN_FRAGMENT_LENGTH);
  return [...new Set(useful)].sort((a, b) => b.length - a.length);
}

// src/smtp/ehlo-name.ts
import { isIPv4, isIPv6 } from "node:net";
import { hostname } from "node:os";
var LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
function isFullyQualified(name) {
  const labels = name.replace(/\.$/, "").split(".");
  const numericTop = /^[0-9]+$/.test(labels.at(-1) ?? "");
  return name.length <= 253 && labels.length >= 2 && !numericTop && labels.every((label) => LABEL.test(label));
}
function isValidEhloName(name) {
  return isFullyQualified(name) || isAddressLiteral(name);
}
function addressLiteral(address) {
  const mapped = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIPv4(mapped)) return `[${mapped}]`;
  if (isIPv6(address)) return `[IPv6:${address}]`;
  return void 0;
}
function isAddressLiteral(name) {
  const inner = /^\[(.*)\]$/.exec(name)?.[1];
  if (inner === void 0) return false;
  return inner.startsWith("IPv6:") ? isIPv6(inner.slice(5)) : isIPv4(inner);
}
function defaultEhloName(localAddress, host = hostname()) {
  if (isFullyQualified(host)) return host.replace(/\.$/, "");
  return addressLiteral(localAddress ?? "") ?? "[127.0.0.1]";
}

// src/smtp/net-connect.ts
import { isIPv6 as isIPv62, Socket } from "node:net";

// src/smtp/deadline.ts
function startDeadline(ms, reason, parent) {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent?.reason);
  const timer = setTimeout(() => controller.abort(reason()), ms).unref();
  if (parent?.aborted === true) onParentAbort();
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    }
  };
}
function raceAbort(signal, body, cleanup) {
  return new Promise((resolve5, reject2) => {
    let settled = false;
    const finish = (succeeded, settle) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      cleanup(succeeded);
      settle();
    };
    const onAbort = () => finish(false, () => reject2(toError(signal.reason)));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    body(
      (value) => finish(true, () => resolve5(value)),
      (error2) => finish(false, () => reject2(error2))
    );
  });
}
function toError(reason) {
  return reason instanceof Error ? reason : new Error(String(reason));
}

// src/smtp/net-connect.ts
function formatEndpoint(host, port) {
  return isIPv62(host) ? `[${host}]:${port}` : `${host}:${port}`;
}
function connectTcp(host, port, what, signal) {
  const socket = new Socket();
  const onError = (_error) => void 0;
  return raceAbort(
    signal,
    (resolve5, reject2) => {
      socket.once("connect", () => resolve5(socket));
      socket.once("error", (error2) => reject2(describeNetError(error2, host, port, what)));
      socket.connect({ host, port });
    },
    (succeeded) => {
      socket.removeAllListeners("connect");
      socket.removeAllListeners("error");
      if (succeeded) return;
      socket.on("error", onError);
      socket.destroy();
    }
  );
}
var hints = {
  ECONNREFUSED: {
    text: "nothing listens on {endpoint}; check the host and port",
    transient: false
  },
  ENOTFOUND: {
    text: "host not found: {host} does not resolve; check the host name",
    transient: false
  },
  EAI_AGAIN: { text: "the DNS lookup of {host} failed for now; try again later", transient: true },
  ETIMEDOUT: {
    text: "the connection to {endpoint} timed out; a firewall may drop it",
    transient: true
  },
  EHOSTUNREACH: { text: "no route to {endpoint}; check the host and the network", transient: true },
  ENETUNREACH: { text: "the network of {endpoint} is unreachable from here", transient: true },
  ECONNRESET: { text: "{endpoint} reset the connection", transient: true },
  ECONNABORTED: { text: "the connection to {endpoint} was aborted", transient: true },
  EPIPE: { text: "{endpoint} closed the connection while we were writing", transient: true }
};
function isTransientNetworkCode(code) {
  return code !== void 0 && hints[code]?.transient === true;
}
function describeNetError(error2, host, port, what) {
  const code = error2?.code;
  const hint = typeof code === "string" ? hints[code] : void 0;
  const endpoint = formatEndpoint(host, port);
  const detail = error2 instanceof Error ? error2.message : String(error2);
  const text2 = hint === void 0 ? `could not connect to ${endpoint}: ${detail}` : hint.text.replace("{endpoint}", endpoint).replace("{host}", host);
  return new SmtpConnectionError(`Cannot reach ${what} at ${endpoint}: ${text2}.`, {
    phase: "connect",
    transient: hint?.transient ?? true,
    cause: error2
  });
}
function isLoopbackAddress(address) {
  if (address === void 0) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return address === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

// src/smtp/timeouts.ts
var defaultTimeouts = Object.freeze({
  connect: 3e4,
  greeting: 6e4,
  command: 6e4,
  dataBlock: 6e4,
  finalReply: 3e5,
  total: 6e5
});
var maxTimerMs = 2147483647;
var timeoutNames = Object.keys(defaultTimeouts);
function resolveTimeouts(partial = {}) {
  const resolved = { ...defaultTimeouts };
  for (const [name, value] of Object.entries(partial)) {
    if (!timeoutNames.includes(name)) {
      throw new SmtpInputError(
        `Unknown timeout "${name}": expected one of ${timeoutNames.join(", ")}.`
      );
    }
    if (value === void 0) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > maxTimerMs) {
      throw new SmtpInputError(
        `Timeout "${name}" must be a positive number of milliseconds up to ${maxTimerMs}; got ${describeValue(value)}.`
      );
    }
    resolved[name] = value;
  }
  return resolved;
}
function describeValue(value) {
  return typeof value === "number" ? String(value) : JSON.stringify(value) ?? typeof value;
}

// src/smtp/tls.ts
import { isIP } from "node:net";
import * as tls from "node:tls";
var tlsModes = ["implicit", "starttls", "none"];
var pemCertificate = /-----BEGIN CERTIFICATE-----/;
function buildTlsOptions(host, settings = {}) {
  const verifyName = settings.servername ?? host;
  const options = {
    minVersion: "TLSv1.2",
    rejectUnauthorized: settings.dangerouslyAcceptInvalidCertificates !== true,
    // Node's own check, pinned to the name the user asked for: after STARTTLS there is no
    // `host` option to fall back on, and an IP has no SNI to carry the name.
    checkServerIdentity: (_name, cert) => tls.checkServerIdentity(verifyName, cert)
  };
  if (isIP(verifyName) === 0) options.servername = verifyName;
  if (settings.ca !== void 0) options.ca = [...defaultCertificates(), ...splitPem(settings.ca)];
  return options;
}
function defaultCertificates() {
  const getCa = tls.getCACertificates;
  return typeof getCa === "function" ? getCa("default") : tls.rootCertificates;
}
function splitPem(pem) {
  if (!pemCertificate.test(pem)) {
    throw new SmtpInputError(
      'The TLS "ca" setting must hold PEM text starting with "-----BEGIN CERTIFICATE-----" (the certificate itself, not a path to it).'
    );
  }
  return [pem];
}
var notTlsCodes = /* @__PURE__ */ new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_HTTP_REQUEST",
  "ERR_SSL_UNKNOWN_PROTOCOL",
  "ERR_SSL_RECORD_LAYER_FAILURE"
]);
var notTlsText = /wrong version number|packet length too long/i;
var untrustedCodes = /* @__PURE__ */ new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE"
]);
var oldProtocolCodes = /* @__PURE__ */ new Set([
  "ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION",
  "ERR_SSL_UNSUPPORTED_PROTOCOL",
  "ERR_SSL_NO_PROTOCOLS_AVAILABLE"
]);
function describeTlsError(error2, context) {
  const where = formatEndpoint(context.host, context.port);
  const reason = error2?.reason;
  const message = error2 instanceof Error ? error2.message : String(error2);
  const detail = typeof reason === "string" ? reason : message;
  const code = errorCode(error2);
  const advice = chooseAdvice(code, detail, context);
  return new SmtpTlsError(
    `TLS with ${where} failed (${detail.replace(/\s+/g, " ").trim()}). ${advice}`,
    {
      phase: context.phase,
      command: context.phase === "starttls" ? "STARTTLS" : void 0,
      cause: error2,
      // A handshake the network cut may pass next time; a certificate or version problem not.
      transient: isTransientNetworkCode(code)
    }
  );
}
function chooseAdvice(code, detail, context) {
  const name = context.servername ?? context.host;
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return `The server's certificate is not valid for "${name}": connect using a name the certificate lists, or set the TLS servername setting to that name.`;
  }
  if (code !== void 0 && untrustedCodes.has(code)) {
    return "The server's certificate is not signed by a trusted authority: if the server uses a private CA, give its certificate (PEM) in the TLS ca setting.";
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    const state = code === "CERT_HAS_EXPIRED" ? "has expired" : "is not valid yet";
    return `The server's certificate ${state}: its administrator must renew it (or a clock is wrong).`;
  }
  if (code !== void 0 && oldProtocolCodes.has(code)) {
    return "The server does not support TLS 1.2 or later, which this client requires (RFC 8996).";
  }
  if (code !== void 0 && notTlsCodes.has(code) || notTlsText.test(detail)) {
    return portModeAdvice(context);
  }
  if (code === "ECONNRESET" || code === "EPIPE") {
    if (context.mode !== "implicit") {
      return "The connection was lost during the handshake the server had agreed to with STARTTLS; trying again may work.";
    }
    if ((context.handshakeBytes ?? 0) > 0) {
      return "The connection was lost during the handshake, after the server had answered in TLS; trying again may work.";
    }
    return `The server closed the connection during the handshake. ${portModeAdvice(context)}`;
  }
  return "The TLS handshake failed.";
}
function portModeAdvice(context) {
  if (context.mode === "implicit") {
    return `The server on port ${context.port} does not seem to speak TLS from the first byte: the port and the TLS mode probably disagree. Use tls mode 'starttls' for a port that greets in clear text (usually 587 or 25), or port 465 for implicit TLS.`;
  }
  return `The port and the TLS mode probably disagree: port ${context.port} may expect TLS from the first byte (usually 465), which needs tls mode 'implicit'.`;
}
function errorCode(error2) {
  if (typeof error2 !== "object" || error2 === null || !("code" in error2)) return void 0;
  const code = error2.code;
  return typeof code === "string" ? code : void 0;
}

// src/smtp/options.ts
var HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;
function isLoopbackHost(host) {
  return host.toLowerCase() === "localhost" || isLoopbackAddress(host);
}
function checkHost(host) {
  if (typeof host !== "string" || host.length === 0) {
    throw new SmtpInputError("host is required: the SMTP server name, e.g. smtp.example.com.");
  }
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP2(bare) === 0 && !HOST_NAME.test(bare)) {
    throw new SmtpInputError(
      `host ${quoteValue2(host)} is not a host name or IP address (no scheme, port or path).`
    );
  }
  return bare;
}
function checkPort(port) {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SmtpInputError(
      `port ${quoteValue2(port)} is not a TCP port: expected a whole number from 1 to 65535 (465 for implicit TLS, 587 for STARTTLS).`
    );
  }
  return port;
}
function checkTlsMode(mode) {
  if (!tlsModes.includes(mode)) {
    throw new SmtpInputError(
      `tls ${quoteValue2(mode)} is not a TLS mode: expected one of ${tlsModes.join(", ")}.`
    );
  }
  return mode;
}
function checkAuth(options, host) {
  const auth = options.auth;
  if (auth === void 0) return void 0;
  if (typeof auth.username !== "string" || typeof auth.password !== "string") {
    throw new SmtpInputError("auth needs both a username and a password (or token).");
  }
  if (auth.password.length === 0) {
    throw new SmtpInputError("auth.password is empty: give the password or token, or omit auth.");
  }
  const mechanism = auth.mechanism ?? "auto";
  if (mechanism !== "auto" && !isAuthMechanismName(mechanism)) {
    throw new SmtpInputError(
      `auth mechanism ${quoteValue2(mechanism)} is not supported: expected auto, PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-256 or XOAUTH2.`
    );
  }
  if (options.tls === "none" && !isLoopbackHost(host)) {
    if (options.dangerouslyAllowAuthWithoutTls !== true) {
      throw new SmtpInputError(
        `Refusing to send credentials to ${host} without TLS: use tls 'starttls' or 'implicit'.`
      );
    }
  }
  return { ...auth, mechanism };
}
function checkEhloName(name) {
  if (name === void 0) return void 0;
  if (typeof name !== "string" || !isValidEhloName(name)) {
    throw new SmtpInputError(
      `ehloName ${quoteValue2(name)} must be a fully qualified domain name (host.example.com) or an address literal ([192.0.2.1]).`
    );
  }
  return name;
}
function checkProxy(proxy) {
  if (proxy === void 0 || proxy === "") return void 0;
  let url2;
  try {
    if (typeof proxy !== "string") throw new TypeError("not a string");
    url2 = new URL(proxy);
  } catch {
    throw new SmtpInputError("proxy is not a URL: expected http://[user:pass@]host:port.");
  }
  if (url2.protocol !== "http:" || url2.hostname === "") {
    throw new SmtpInputError(
      `proxy must be an http:// URL of an HTTP CONNECT proxy, not ${url2.protocol}//.`
    );
  }
  return url2.href;
}
function checkServerOptions(options) {
  const host = checkHost(options.host);
  return {
    host,
    port: checkPort(options.port),
    tls: checkTlsMode(options.tls),
    tlsSettings: options.tlsOptions ?? {},
    auth: checkAuth(options, host),
    allowAuthWithoutTls: options.dangerouslyAllowAuthWithoutTls === true,
    ehloName: checkEhloName(options.ehloName),
    proxy: checkProxy(options.proxy),
    timeouts: resolveTimeouts(options.timeouts),
    signal: options.signal
  };
}

// src/smtp/recipient-plan.ts
var MIN_RECIPIENT_CHUNK = 100;
var RecipientPlan = class {
  #pending;
  #chunkSize;
  constructor(recipients) {
    this.#pending = [...recipients];
    this.#chunkSize = recipients.length;
  }
  /** The recipients of the first transaction. */
  first() {
    return this.#pending.splice(0, this.#chunkSize);
  }
  /**
   * The recipients of the transaction after one whose envelope the server answered with
   * `accepted` acceptances and `deferred` deferrals; empty when none follows. A deferral that
   * let nobody through would repeat forever, so its recipients are not tried again (the caller
   * reports them as refused).
   */
  next(accepted, deferred) {
    if (accepted > 0 && deferred.length > 0) {
      this.#chunkSize = Math.max(accepted, MIN_RECIPIENT_CHUNK);
      this.#pending = [...deferred, ...this.#pending];
    }
    return this.#pending.splice(0, this.#chunkSize);
  }
};

// src/smtp/data-encoder.ts
var CR4 = 13;
var LF4 = 10;
var DOT2 = 46;
var TERMINATOR_AFTER_LINE = Uint8Array.of(DOT2, CR4, LF4);
var TERMINATOR_MID_LINE = Uint8Array.of(CR4, LF4, DOT2, CR4, LF4);
var DataEncoder = class {
  atLineStart = true;
  /** The previous chunk ended with CR: a LF opening the next chunk belongs to that ending. */
  skipLf = false;
  ended = false;
  push(chunk) {
    if (this.ended) throw new Error("DataEncoder.push() was called after end().");
    const out = new Uint8Array(chunk.length * 2);
    const length = chunk.length;
    let atLineStart = this.atLineStart;
    let o = 0;
    let i = 0;
    if (this.skipLf && length > 0) {
      this.skipLf = false;
      if (chunk[0] === LF4) i = 1;
    }
    for (; i < length; i++) {
      const byte = chunk[i] ?? 0;
      if (byte === CR4 || byte === LF4) {
        out[o++] = CR4;
        out[o++] = LF4;
        atLineStart = true;
        if (byte === CR4) {
          if (i + 1 === length) this.skipLf = true;
          else if (chunk[i + 1] === LF4) i++;
        }
      } else {
        if (atLineStart && byte === DOT2) out[o++] = DOT2;
        out[o++] = byte;
        atLineStart = false;
      }
    }
    this.atLineStart = atLineStart;
    return out.subarray(0, o);
  }
  /** The end-of-data indication: `.CRLF`, preceded by CRLF when the last line is open. */
  end() {
    if (this.ended) throw new Error("DataEncoder.end() was called twice.");
    this.ended = true;
    return (this.atLineStart ? TERMINATOR_AFTER_LINE : TERMINATOR_MID_LINE).slice();
  }
};
function inspectMessage(message) {
  let has8bit = false;
  let longestLine = 0;
  let lineStart = 0;
  let loneEndings = 0;
  const length = message.length;
  for (let i = 0; i < length; i++) {
    const byte = message[i] ?? 0;
    if (byte === CR4 || byte === LF4) {
      longestLine = Math.max(longestLine, i - lineStart);
      if (byte === CR4 && message[i + 1] === LF4) i++;
      else loneEndings++;
      lineStart = i + 1;
    } else if (byte > 127) {
      has8bit = true;
    }
  }
  longestLine = Math.max(longestLine, length - lineStart);
  return { size: length, wireSize: length + loneEndings, has8bit, longestLine };
}

// src/smtp/envelope-address.ts
import { isIPv4 as isIPv42, isIPv6 as isIPv63 } from "node:net";
import { domainToASCII as domainToASCII2 } from "node:url";
var MAX_LOCAL_PART = 64;
var MAX_DOMAIN = 255;
var MAX_PATH = 256;
var DOT_STRING = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10ffff}]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10ffff}]+)*$/u;
var QUOTED_STRING = /^"([\u0020-\u0021\u0023-\u005b\u005d-\u007e\u0080-\u{10ffff}]|\\[\u0020-\u007e])*"$/u;
var LABEL2 = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
var CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/u;
var NON_ASCII2 = new RegExp("\\P{ASCII}", "u");
var utf85 = new TextEncoder();
function octets(text2) {
  return utf85.encode(text2).length;
}
function refuse2(address, reason) {
  throw new SmtpInputError(`The envelope address ${quoteValue2(address)} is not valid: ${reason}`);
}
function checkLocalPart(address, local) {
  if (local === "") refuse2(address, 'the part before "@" is empty.');
  if (octets(local) > MAX_LOCAL_PART) {
    refuse2(address, `the part before "@" is over ${MAX_LOCAL_PART} octets (RFC 5321 4.5.3.1.1).`);
  }
  const valid = local.startsWith('"') ? QUOTED_STRING.test(local) : DOT_STRING.test(local);
  if (!valid) {
    refuse2(
      address,
      'the part before "@" must be dot-separated words without spaces, or a quoted string (RFC 5321 4.1.2). Give one address per entry, without a display name.'
    );
  }
}
function checkAddressLiteral(address, domain) {
  const inner = domain.slice(1, -1);
  const valid = domain.endsWith("]") && (isIPv42(inner) || /^IPv6:/i.test(inner) && isIPv63(inner.slice(5)));
  if (!valid) refuse2(address, "the address literal must be [IPv4] or [IPv6:address].");
  return domain;
}
function prepareDomain(address, domain) {
  if (domain === "") refuse2(address, 'the part after "@" is empty.');
  if (domain.startsWith("[")) return checkAddressLiteral(address, domain);
  if (!/^[A-Za-z0-9.\-\P{ASCII}]+$/u.test(domain)) {
    refuse2(address, "the domain may contain only letters, digits, hyphens and dots.");
  }
  const ascii2 = NON_ASCII2.test(domain) ? domainToASCII2(domain) : domain;
  if (ascii2 === "") refuse2(address, "the domain cannot be converted to an ASCII (A-label) name.");
  if (ascii2.length > MAX_DOMAIN) {
    refuse2(address, `the domain is over ${MAX_DOMAIN} octets (RFC 5321 4.5.3.1.2).`);
  }
  if (!ascii2.split(".").every((label) => LABEL2.test(label))) {
    refuse2(
      address,
      "the domain must be dot-separated labels of letters, digits and inner hyphens (RFC 5321 4.1.2)."
    );
  }
  return ascii2;
}
function prepareEnvelopeAddress(address) {
  if (typeof address !== "string" || address === "") refuse2(String(address), "it is empty.");
  if (CONTROL.test(address)) refuse2(address, "it contains a control character or line break.");
  if (/[<>]/.test(address)) {
    refuse2(address, "give the bare address, without a display name or angle brackets.");
  }
  const at2 = address.lastIndexOf("@");
  if (at2 === -1) refuse2(address, 'it has no "@".');
  const local = address.slice(0, at2);
  checkLocalPart(address, local);
  const domain = prepareDomain(address, address.slice(at2 + 1));
  const wire = `${local}@${domain}`;
  if (octets(wire) + 2 > MAX_PATH) {
    refuse2(address, `it is over ${MAX_PATH - 2} octets (RFC 5321 4.5.3.1.3).`);
  }
  return { wire, needsSmtpUtf8: NON_ASCII2.test(local) };
}

// src/smtp/send-options.ts
var MAX_LINE_OCTETS3 = 998;
function checkRecipients(to) {
  if (!Array.isArray(to) || to.length === 0) {
    throw new SmtpInputError("envelope.to needs at least one recipient address.");
  }
  const seen = /* @__PURE__ */ new Map();
  for (const address of to) {
    const prepared = prepareEnvelopeAddress(String(address));
    seen.set(prepared.wire, prepared);
  }
  return [...seen.values()];
}
function checkMessage(message) {
  if (!(message instanceof Uint8Array)) {
    throw new SmtpInputError("message must be the bytes of the message (a Uint8Array).");
  }
  const facts = inspectMessage(message);
  if (facts.longestLine > MAX_LINE_OCTETS3) {
    throw new SmtpInputError(
      `The message has a line of ${facts.longestLine} octets; SMTP allows ${MAX_LINE_OCTETS3} (RFC 5321 4.5.3.1.6). Encode long lines (quoted-printable or base64) before sending.`
    );
  }
  return { message, facts };
}
function checkDsn(dsn) {
  if (dsn === void 0) return void 0;
  mailCommand("", { ret: dsn.ret, envId: dsn.envId });
  rcptCommand("postmaster", { notify: dsn.notify });
  return dsn;
}
function checkSendOptions(options) {
  const connection = checkServerOptions(options);
  const envelope = options.envelope;
  if (envelope === void 0) {
    throw new SmtpInputError("envelope is required: { from, to: [...] }.");
  }
  const sender = envelope.from === "" ? { wire: "", needsSmtpUtf8: false } : prepareEnvelopeAddress(envelope.from);
  return {
    ...connection,
    sender,
    recipients: checkRecipients(envelope.to),
    smtpUtf8: envelope.smtpUtf8 === true,
    ...checkMessage(options.message),
    dsn: checkDsn(options.dsn)
  };
}

// src/smtp/capabilities.ts
var HELO_CAPABILITIES = Object.freeze({
  domain: "",
  pipelining: false,
  eightBitMime: false,
  smtpUtf8: false,
  enhancedStatusCodes: false,
  dsn: false,
  chunking: false,
  startTls: false,
  auth: Object.freeze([]),
  keywords: /* @__PURE__ */ new Map()
});
function capabilitiesFromHelo(reply) {
  return { ...HELO_CAPABILITIES, domain: firstWord(reply.lines[0] ?? "") };
}
var KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
function firstWord(text2) {
  return text2.trim().split(/\s+/)[0] ?? "";
}
function parseEhloLine(line) {
  const words = line.trim().split(/[ \t]+/);
  let [keyword = "", ...params] = words;
  const equals = keyword.indexOf("=");
  if (equals > 0) {
    params = [keyword.slice(equals + 1), ...params].filter((param) => param !== "");
    keyword = keyword.slice(0, equals);
  }
  if (!KEYWORD.test(keyword)) return void 0;
  return [keyword.toUpperCase(), params];
}
function parseSize(params) {
  const value = params?.[0];
  if (value === void 0 || !/^\d+$/.test(value)) return void 0;
  const size = Number(value);
  return size > 0 && Number.isSafeInteger(size) ? size : void 0;
}
function collectKeywords(lines) {
  const keywords = /* @__PURE__ */ new Map();
  for (const line of lines) {
    const parsed = parseEhloLine(line);
    if (!parsed) continue;
    const [keyword, params] = parsed;
    const known = keywords.get(keyword) ?? [];
    keywords.set(keyword, [...known, ...params.filter((param) => !known.includes(param))]);
  }
  return keywords;
}
function parseEhlo(reply) {
  const keywords = collectKeywords(reply.lines.slice(1));
  const auth = [...new Set((keywords.get("AUTH") ?? []).map((name) => name.toUpperCase()))];
  const size = parseSize(keywords.get("SIZE"));
  return {
    domain: firstWord(reply.lines[0] ?? ""),
    pipelining: keywords.has("PIPELINING"),
    ...size === void 0 ? {} : { size },
    eightBitMime: keywords.has("8BITMIME"),
    smtpUtf8: keywords.has("SMTPUTF8"),
    enhancedStatusCodes: keywords.has("ENHANCEDSTATUSCODES"),
    dsn: keywords.has("DSN"),
    chunking: keywords.has("CHUNKING"),
    startTls: keywords.has("STARTTLS"),
    auth,
    keywords
  };
}

// src/smtp/auth-channel.ts
var ONE_ROUND_TRIP_MECHANISMS = /* @__PURE__ */ new Set(["PLAIN"]);
function canLeadGroup(name, mechanism, pipelining) {
  if (!pipelining || !ONE_ROUND_TRIP_MECHANISMS.has(name)) return false;
  const initial = mechanism.initialResponse();
  return initial !== void 0 && fitsAuthCommand(name, initial);
}
function createAuthChannel(io, leading) {
  let shown = "AUTH";
  let group = leading;
  return {
    send: async (line, sensitive) => {
      if (leading !== void 0 && group === void 0) {
        leading.challenged = true;
        throw new SmtpProtocolError(
          `The server sent a challenge to ${shown} with its initial response, which completes in one step (RFC 4954 4); the session is out of step.`,
          { phase: "auth", command: shown }
        );
      }
      const isAuth = /^AUTH /i.test(line);
      const bytes = isAuth ? formatCommand("AUTH", ...line.slice(5).split(" ")) : formatSaslResponse(line);
      const redact = sensitive || !isAuth && line !== "*";
      if (isAuth) shown = line.split(" ").slice(0, 2).join(" ");
      const step = isAuth || line === "*" ? shown : `${shown} (response)`;
      const lines = [{ text: line, sensitive: redact }, ...group?.lines ?? []];
      const all = group === void 0 ? bytes : Buffer.concat([bytes, group.bytes]);
      if (leading !== void 0 && group !== void 0) leading.sent = true;
      group = void 0;
      await io.connection.write(all, lines, { phase: "auth", command: step });
      return io.read("auth", step);
    }
  };
}
async function authenticateLeading(io, auth, group) {
  const leading = { ...group, challenged: false, sent: false };
  try {
    await authenticate(createAuthChannel(io, leading), auth.mechanism, { secrets: auth.secrets });
  } catch (error2) {
    if (!leading.sent) throw error2;
    const last = leading.challenged ? void 0 : await readLastReply(io, group);
    if (last === void 0 || last.code === 354) io.destroy();
    throw error2;
  }
}
async function readLastReply(io, group) {
  try {
    let last;
    for (const line of group.lines) last = await io.read("auth", line.text);
    return last;
  } catch {
    return void 0;
  }
}
function isAuthRefusal(error2) {
  const code = error2 instanceof SmtpAuthError ? error2.reply?.code : void 0;
  return code !== void 0 && code >= 400 && code !== 421;
}

// src/smtp/reply.ts
var DEFAULT_REPLY_LIMITS = Object.freeze({
  maxLineLength: 2048,
  maxReplySize: 64 * 1024,
  maxLines: 1e3
});
var ReplyFormatError = class extends SmtpProtocolError {
  constructor(message) {
    super(`The server sent a malformed reply: ${message}`, { phase: "connect" });
  }
};
var CR5 = 13;
var LF5 = 10;
var DIGIT_0 = 48;
var HYPHEN = 45;
var SPACE3 = 32;
var utf86 = new TextDecoder("utf-8");
function parseLine(line) {
  const digits = [line[0], line[1], line[2]].map(
    (byte) => byte === void 0 ? -1 : byte - DIGIT_0
  );
  const [first = -1, second = -1, third = -1] = digits;
  if (first < 2 || first > 5 || second < 0 || second > 5 || third < 0 || third > 9) {
    throw new ReplyFormatError(`line does not start with a reply code: ${preview(line)}`);
  }
  const separator = line[3];
  if (separator !== void 0 && separator !== HYPHEN && separator !== SPACE3) {
    throw new ReplyFormatError(`code is not followed by a space or "-": ${preview(line)}`);
  }
  if (line.includes(CR5)) {
    throw new ReplyFormatError(`bare CR inside a line: ${preview(line)}`);
  }
  return {
    code: first * 100 + second * 10 + third,
    last: separator !== HYPHEN,
    text: line.length > 4 ? utf86.decode(line.subarray(4)) : ""
  };
}
function preview(line) {
  return escapeUnprintable(JSON.stringify(utf86.decode(line.subarray(0, 40))));
}
function concatBytes2(head, tail) {
  if (head.length === 0) return tail;
  const joined = new Uint8Array(head.length + tail.length);
  joined.set(head);
  joined.set(tail, head.length);
  return joined;
}
var ReplyParser = class {
  limits;
  partial = new Uint8Array(0);
  code = 0;
  lines = [];
  size = 0;
  failure;
  constructor(limits) {
    this.limits = {
      maxLineLength: limits?.maxLineLength ?? DEFAULT_REPLY_LIMITS.maxLineLength,
      maxReplySize: limits?.maxReplySize ?? DEFAULT_REPLY_LIMITS.maxReplySize,
      maxLines: limits?.maxLines ?? DEFAULT_REPLY_LIMITS.maxLines
    };
  }
  /** True while a partial line or a partial multi-line reply is buffered. */
  get hasPendingBytes() {
    return this.partial.length > 0 || this.lines.length > 0;
  }
  push(chunk) {
    if (this.failure) throw this.failure;
    try {
      return this.consume(chunk);
    } catch (error2) {
      if (error2 instanceof ReplyFormatError) this.failure = error2;
      throw error2;
    }
  }
  consume(chunk) {
    const replies = [];
    let start = 0;
    for (let end = chunk.indexOf(LF5); end !== -1; end = chunk.indexOf(LF5, start)) {
      const line = concatBytes2(this.partial, chunk.subarray(start, end + 1));
      this.partial = new Uint8Array(0);
      start = end + 1;
      const reply = this.acceptLine(line);
      if (reply) replies.push(reply);
    }
    const rest = chunk.subarray(start);
    if (this.partial.length + rest.length >= this.limits.maxLineLength) {
      throw new ReplyFormatError(`line longer than ${this.limits.maxLineLength} octets`);
    }
    this.partial = concatBytes2(this.partial, rest.slice());
    return replies;
  }
  /** Takes one line including its LF; returns the reply it completes, if any. */
  acceptLine(line) {
    const { maxLineLength, maxReplySize, maxLines } = this.limits;
    if (line.length > maxLineLength) {
      throw new ReplyFormatError(`line longer than ${maxLineLength} octets`);
    }
    const crlf = line.length >= 2 && line[line.length - 2] === CR5;
    const parsed = parseLine(line.subarray(0, line.length - (crlf ? 2 : 1)));
    if (this.lines.length > 0 && parsed.code !== this.code) {
      throw new ReplyFormatError(`line with code ${parsed.code} inside a ${this.code} reply`);
    }
    this.code = parsed.code;
    this.lines.push(parsed.text);
    this.size += line.length;
    if (this.lines.length > maxLines) {
      throw new ReplyFormatError(`reply has more than ${maxLines} lines`);
    }
    if (this.size > maxReplySize) {
      throw new ReplyFormatError(`reply larger than ${maxReplySize} octets`);
    }
    if (!parsed.last) return void 0;
    const lines = this.lines;
    this.lines = [];
    this.size = 0;
    const enhancedCode = parseEnhancedCode(lines[0] ?? "", parsed.code);
    return enhancedCode === void 0 ? { code: parsed.code, lines } : { code: parsed.code, enhancedCode, lines };
  }
};
var ENHANCED_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})(?=[ \t]|$)/;
function parseEnhancedCode(text2, code) {
  const match3 = ENHANCED_CODE.exec(text2);
  if (!match3 || match3[1] !== String(Math.floor(code / 100))) return void 0;
  return `${match3[1]}.${match3[2]}.${match3[3]}`;
}

// src/smtp/connection-errors.ts
function formatDuration(ms) {
  if (ms < 1e3) return `${ms} ms`;
  if (ms < 12e4 || ms % 6e4 !== 0) return `${Math.round(ms / 100) / 10} s`;
  return `${ms / 6e4} min`;
}
function describeStep(context) {
  return context.command === "" ? `during ${context.phase}` : `during ${context.phase} (${context.command})`;
}
function greetingHint(state, context) {
  if (context.phase !== "greeting" || state.mode === "implicit" || state.receivedBytes > 0) {
    return "";
  }
  return ` ${portModeAdvice(state)}`;
}
function readTimeoutError(state, context) {
  const waited = formatDuration(context.timeoutMs);
  const message = context.phase === "greeting" ? `The server at ${state.endpoint} sent no greeting within ${waited}.` : `The server at ${state.endpoint} did not answer ${context.command || context.phase} within ${waited}.`;
  return new SmtpTimeoutError(message + greetingHint(state, context), {
    phase: context.phase,
    command: context.command || void 0,
    transient: true
  });
}
function writeTimeoutError(state, context, timeoutMs) {
  return new SmtpTimeoutError(
    `The server at ${state.endpoint} took no data for ${formatDuration(timeoutMs)} ${describeStep(context)}.`,
    { phase: context.phase, command: context.command || void 0, transient: true }
  );
}
function closedError(state, who, context) {
  const middle = state.midReply ? " in the middle of a reply" : "";
  return new SmtpConnectionError(
    `${capitalize(who)} at ${state.endpoint} closed the connection${middle} ${describeStep(context)}.` + greetingHint(state, context),
    { phase: context.phase, command: context.command || void 0, transient: true }
  );
}
function failureError(state, context, failure) {
  const command = context.command || void 0;
  if (failure instanceof ReplyFormatError) {
    if (context.phase === "auth") {
      return new SmtpProtocolError(
        `The server at ${state.endpoint} sent a malformed reply ${describeStep(context)}; its text is not shown because it may echo the credentials.`,
        { phase: context.phase, command }
      );
    }
    return new SmtpProtocolError(
      `${failure.message} (from ${state.endpoint} ${describeStep(context)}).`,
      { phase: context.phase, command, cause: failure }
    );
  }
  if (failure instanceof SmtpError) return failure;
  const detail = failure instanceof Error ? failure.message : String(failure);
  return new SmtpConnectionError(
    `The connection to ${state.endpoint} failed ${describeStep(context)}: ${detail}.`,
    { phase: context.phase, command, transient: true, cause: failure }
  );
}
function abortError(endpoint, totalMs, phase, reason) {
  if (reason instanceof SmtpError) return reason;
  const message = reason === void 0 ? `The SMTP session with ${endpoint} did not finish within ${formatDuration(totalMs)} (stopped during ${phase}).` : `The SMTP session with ${endpoint} was aborted during ${phase}.`;
  return new SmtpTimeoutError(message, { phase, transient: true, cause: reason });
}
function injectionError(endpoint) {
  return new SmtpProtocolError(
    `The server at ${endpoint} sent data after its 220 reply to STARTTLS, before TLS started. Refusing to start TLS: this is how STARTTLS response injection works (CVE-2011-0411), so something on the path may be tampering with the connection.`,
    { phase: "starttls", command: "STARTTLS" }
  );
}
function capitalize(text2) {
  return text2.charAt(0).toUpperCase() + text2.slice(1);
}

// src/smtp/reply-queue.ts
var LF6 = 10;
var ReplyQueue = class {
  #hooks;
  #parser = new ReplyParser();
  #replies = [];
  #pending;
  #failure;
  #ended = false;
  #receivedBytes = 0;
  constructor(hooks) {
    this.#hooks = hooks;
  }
  /** True once the server closed or the connection failed: no reply will arrive any more. */
  get isDone() {
    return this.#ended || this.#failure !== void 0;
  }
  /** Replies waiting to be read. */
  get queuedCount() {
    return this.#replies.length;
  }
  /** What was received that no read has consumed: a whole reply, part of one, or nothing. */
  get unread() {
    if (this.#replies.length > 0) return "reply";
    return this.#parser.hasPendingBytes ? "fragment" : "nothing";
  }
  /** True when any byte was received that no read has consumed: a reply or part of one. */
  get hasUnreadBytes() {
    return this.#replies.length > 0 || this.#parser.hasPendingBytes;
  }
  /**
   * Feeds bytes from the socket. A malformed reply fails the connection, but only after the
   * replies completed before it in the same chunk are queued: a 250 to the final dot followed
   * by garbage in one packet still says the message was taken, and a bad reply to RCPT after a
   * good one to MAIL is reported against RCPT. So the parser gets the chunk a line at a time.
   */
  push(chunk) {
    if (this.#failure !== void 0) return;
    this.#receivedBytes += chunk.length;
    for (let start = 0; start < chunk.length; ) {
      const end = chunk.indexOf(LF6, start);
      const stop = end === -1 ? chunk.length : end + 1;
      let replies;
      try {
        replies = this.#parser.push(chunk.subarray(start, stop));
      } catch (error2) {
        this.fail(error2);
        return;
      }
      for (const reply of replies) {
        this.#hooks.onReply(reply);
        this.#replies.push(reply);
      }
      start = stop;
    }
    this.#deliver();
  }
  /** The server closed its side. */
  end() {
    this.#ended = true;
    this.#deliver();
  }
  /** Records the first failure (later ones are consequences) and tells a pending read. */
  fail(cause) {
    if (this.#failure !== void 0) return;
    this.#failure = cause;
    this.#hooks.onFailure(cause);
    this.#deliver();
  }
  /** RFC 3207 4.2: after STARTTLS nothing from before the handshake may be used. */
  reset() {
    this.#parser = new ReplyParser();
    this.#replies = [];
    this.#receivedBytes = 0;
  }
  /** The next reply, queued or within `context.timeoutMs`; a timeout fails the connection. */
  read(context) {
    const queued = this.#replies.shift();
    if (queued !== void 0) return Promise.resolve(queued);
    if (this.isDone) return Promise.reject(this.errorFor(context));
    if (this.#pending !== void 0) {
      return Promise.reject(new Error("readReply was called while another read was pending"));
    }
    return new Promise((resolve5, reject2) => {
      const timer = setTimeout(() => {
        this.#pending = void 0;
        const error2 = readTimeoutError(this.describeState(), context);
        this.fail(error2);
        reject2(error2);
      }, context.timeoutMs);
      this.#pending = {
        context,
        resolve: (reply) => {
          clearTimeout(timer);
          resolve5(reply);
        },
        reject: (error2) => {
          clearTimeout(timer);
          reject2(error2);
        }
      };
    });
  }
  /** Why nothing more can be read, as an error for `context`'s step. */
  errorFor(context) {
    const state = this.describeState();
    if (this.#failure !== void 0) return failureError(state, context, this.#failure);
    return closedError(state, "the server", context);
  }
  #deliver() {
    const pending = this.#pending;
    if (pending === void 0) return;
    const reply = this.#replies.shift();
    if (reply === void 0 && !this.isDone) return;
    this.#pending = void 0;
    if (reply === void 0) pending.reject(this.errorFor(pending.context));
    else pending.resolve(reply);
  }
  /** The connection facts plus what this queue saw, for error messages. */
  describeState() {
    return {
      ...this.#hooks.describe(),
      receivedBytes: this.#receivedBytes,
      midReply: this.#parser.hasPendingBytes
    };
  }
};

// src/smtp/proxy.ts
var maxResponseHeader = 16 * 1024;
var headerEnd = Buffer.from("\r\n\r\n");
var statusLine = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?$/;
var safeHost = /^[A-Za-z0-9._:-]+$/;
async function openProxyTunnel(proxyUrl, host, port, timeoutMs, signal) {
  const proxy = parseProxyUrl(proxyUrl);
  if (!safeHost.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SmtpInputError(
      `Invalid SMTP host or port for the proxy tunnel: ${JSON.stringify(host)}:${port}.`
    );
  }
  const target = formatEndpoint(host, port);
  const deadline = startDeadline(
    timeoutMs,
    () => new SmtpTimeoutError(
      `The proxy ${proxy.label} did not open a tunnel to ${target} within ${timeoutMs / 1e3} s.`,
      { phase: "connect", transient: true }
    ),
    signal
  );
  try {
    const socket = await connectTcp(
      proxy.host,
      proxy.port,
      `the proxy ${proxy.label}`,
      deadline.signal
    );
    const request = [
      `CONNECT ${target} HTTP/1.1`,
      `Host: ${target}`,
      ...proxy.authorization === void 0 ? [] : [`Proxy-Authorization: ${proxy.authorization}`],
      "",
      ""
    ].join("\r\n");
    socket.write(request);
    const { status, reason } = await readResponseHeader(socket, proxy, deadline.signal);
    if (status < 200 || status > 299) {
      socket.destroy();
      throw refusal(status, reason, proxy, target);
    }
    return socket;
  } finally {
    deadline.dispose();
  }
}
function parseProxyUrl(proxyUrl) {
  let url2;
  try {
    url2 = new URL(proxyUrl);
  } catch {
    throw new SmtpInputError(
      "The proxy must be a URL of the form http://[user:password@]host:port."
    );
  }
  if (url2.protocol !== "http:") {
    throw new SmtpInputError(
      `The proxy URL scheme "${url2.protocol}" is not supported: only http:// CONNECT proxies are.`
    );
  }
  const host = url2.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url2.port === "" ? 80 : Number(url2.port);
  const endpoint = { host, port, label: `http://${formatEndpoint(host, port)}` };
  if (url2.username !== "" || url2.password !== "") {
    const user = decodeURIComponent(url2.username);
    const password = decodeURIComponent(url2.password);
    endpoint.authorization = `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
  }
  return endpoint;
}
function readResponseHeader(socket, proxy, signal) {
  const what = `the proxy ${proxy.label}`;
  return raceAbort(
    signal,
    (resolve5, reject2) => {
      let buffered = Buffer.alloc(0);
      socket.on("data", (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        const end = buffered.indexOf(headerEnd);
        if (end === -1) {
          if (buffered.length > maxResponseHeader) {
            reject2(proxyError(proxy, `sent a response header over ${maxResponseHeader} octets`));
          }
          return;
        }
        socket.pause();
        const rest = buffered.subarray(end + headerEnd.length);
        if (rest.length > 0) socket.unshift(rest);
        const firstLine = buffered.subarray(0, end).toString("latin1").split("\r\n", 1)[0];
        const match3 = statusLine.exec(firstLine ?? "");
        if (match3 === null) reject2(proxyError(proxy, "did not answer CONNECT with an HTTP status"));
        else resolve5({ status: Number(match3[1]), reason: match3[2] ?? "" });
      });
      socket.once(
        "error",
        (error2) => reject2(describeNetError(error2, proxy.host, proxy.port, what))
      );
      socket.once("close", () => reject2(proxyError(proxy, "closed the connection early")));
    },
    (succeeded) => {
      socket.removeAllListeners("data");
      socket.removeAllListeners("error");
      socket.removeAllListeners("close");
      if (succeeded) return;
      socket.on("error", () => void 0);
      socket.destroy();
    }
  );
}
function proxyError(proxy, what) {
  return new SmtpConnectionError(`The proxy ${proxy.label} ${what}.`, {
    phase: "connect",
    transient: true
  });
}
function refusal(status, reason, proxy, target) {
  const answer = `${status}${reason === "" ? "" : ` ${reason}`}`.replace(/[^\x20-\x7e]/g, "?");
  let advice = "check that the proxy allows CONNECT to this host and port";
  if (status === 407) {
    advice = proxy.authorization === void 0 ? "the proxy requires authentication: give user:password in the proxy URL" : "the proxy rejected the credentials in the proxy URL";
  }
  return new SmtpConnectionError(
    `The proxy ${proxy.label} refused the tunnel to ${target} (${answer}): ${advice}.`,
    { phase: "connect", transient: status >= 500 }
  );
}

// src/smtp/tls-handshake.ts
import { connect as connectTls } from "node:tls";
function handshakeTls(socket, settings, context, signal) {
  const tlsSocket = connectTls({ ...buildTlsOptions(context.host, settings), socket });
  const bytesBefore = socket.bytesRead;
  socket.on("error", () => void 0);
  return raceAbort(
    signal,
    (resolve5, reject2) => {
      tlsSocket.once("secureConnect", () => resolve5(tlsSocket));
      tlsSocket.once("error", (error2) => {
        const handshakeBytes = socket.bytesRead - bytesBefore;
        const servername = settings.servername;
        reject2(describeTlsError(error2, { ...context, servername, handshakeBytes }));
      });
    },
    (succeeded) => {
      tlsSocket.removeAllListeners("secureConnect");
      tlsSocket.removeAllListeners("error");
      if (succeeded) return;
      tlsSocket.on("error", () => void 0);
      tlsSocket.destroy();
      socket.destroy();
    }
  );
}
function readTlsInfo(socket) {
  return { protocol: socket.getProtocol() ?? "unknown", cipher: socket.getCipher().name };
}

// src/smtp/socket-open.ts
async function openSocket(target, signal) {
  const { host, port, connectTimeoutMs } = target;
  const deadline = startDeadline(
    connectTimeoutMs,
    () => new SmtpTimeoutError(
      `Could not connect to ${formatEndpoint(host, port)} within ${formatDuration(connectTimeoutMs)}.`,
      { phase: "connect", transient: true }
    ),
    signal
  );
  try {
    const socket = target.proxy === void 0 ? await connectTcp(host, port, "the SMTP server", deadline.signal) : await openProxyTunnel(target.proxy, host, port, connectTimeoutMs, deadline.signal);
    if (target.tls !== "implicit") return socket;
    const context = { host, port, mode: target.tls, phase: "connect" };
    return await handshakeTls(socket, target.tlsSettings, context, deadline.signal);
  } finally {
    deadline.dispose();
  }
}
async function upgradeSocket(plain, target, signal) {
  const { host, port, connectTimeoutMs } = target;
  const deadline = startDeadline(
    connectTimeoutMs,
    () => new SmtpTimeoutError(
      `The TLS handshake with ${formatEndpoint(host, port)} did not finish within ${formatDuration(connectTimeoutMs)}.`,
      { phase: "starttls", command: "STARTTLS", transient: true }
    ),
    signal
  );
  try {
    const context = { host, port, mode: target.tls, phase: "starttls" };
    return await handshakeTls(plain, target.tlsSettings, context, deadline.signal);
  } finally {
    deadline.dispose();
  }
}

// src/smtp/socket-write.ts
var blockSize = 64 * 1024;
async function writeWithBackpressure(socket, bytes, timeoutMs, errors) {
  for (let start = 0; start < bytes.length; start += blockSize) {
    if (socket.destroyed) throw errors.onClose();
    const block = bytes.subarray(start, start + blockSize);
    if (!socket.write(block)) await drained(socket, timeoutMs, errors);
  }
}
function drained(socket, timeoutMs, errors) {
  return new Promise((resolve5, reject2) => {
    const finish = (error2) => {
      clearTimeout(timer);
      socket.off("drain", onDrain);
      socket.off("close", onClose);
      if (error2 === void 0) resolve5();
      else reject2(error2);
    };
    const onDrain = () => finish();
    const onClose = () => finish(errors.onClose());
    const timer = setTimeout(() => finish(errors.onTimeout()), timeoutMs);
    socket.on("drain", onDrain);
    socket.on("close", onClose);
  });
}

// src/smtp/connection.ts
var noop = () => void 0;
var SmtpConnection = class _SmtpConnection {
  #options;
  #endpoint;
  #total;
  #isLoopback;
  #replies;
  #socket;
  #phase = "connect";
  #command = "";
  #tlsInfo;
  constructor(socket, options, total) {
    this.#options = options;
    this.#endpoint = formatEndpoint(options.host, options.port);
    this.#total = total;
    this.#isLoopback = options.proxy === void 0 && isLoopbackAddress(socket.remoteAddress);
    this.#socket = socket;
    if (options.tls === "implicit") this.#tlsInfo = readTlsInfo(socket);
    this.#replies = new ReplyQueue({
      onReply: (reply) => this.#record(reply),
      onFailure: () => this.#tearDown(),
      describe: () => ({ endpoint: this.#endpoint, port: options.port, mode: options.tls })
    });
    const onAbort = () => {
      const reason = total.signal.reason;
      this.#replies.fail(abortError(this.#endpoint, options.timeouts.total, this.#phase, reason));
    };
    total.signal.addEventListener("abort", onAbort, { once: true });
    this.#attach(socket);
  }
  /**
   * Connects (directly or through the proxy) and, for implicit TLS, completes the handshake
   * within `timeouts.connect`. The overall deadline (`timeouts.total`, `signal`) starts here.
   */
  static async open(options) {
    const { host, port, timeouts } = options;
    const endpoint = formatEndpoint(host, port);
    buildTlsOptions(host, options.tlsSettings);
    let connection;
    const phase = () => connection === void 0 ? "connect" : connection.#phase;
    const total = startDeadline(
      timeouts.total,
      () => abortError(endpoint, timeouts.total, phase()),
      options.signal
    );
    try {
      const target = { ...options, connectTimeoutMs: timeouts.connect };
      connection = new _SmtpConnection(await openSocket(target, total.signal), options, total);
      return connection;
    } catch (error2) {
      total.dispose();
      if (error2 instanceof SmtpError || !total.signal.aborted) throw error2;
      throw abortError(endpoint, timeouts.total, "connect", total.signal.reason);
    }
  }
  /** The negotiated TLS protocol and cipher, once TLS is up. */
  get tlsInfo() {
    return this.#tlsInfo;
  }
  get secure() {
    return this.#tlsInfo !== void 0;
  }
  /** The peer is 127.0.0.0/8 or ::1, not through a proxy: plaintext cannot leave the host. */
  get isLoopback() {
    return this.#isLoopback;
  }
  /** False once the connection failed or the server closed it: a write would send nothing. */
  get isOpen() {
    return !this.#replies.isDone;
  }
  /** What arrived that no read has taken: a whole reply, part of one, or nothing. */
  get unread() {
    return this.#replies.unread;
  }
  /** The local address of the socket: what the server sees (the EHLO fallback name uses it). */
  get localAddress() {
    return this.#socket.localAddress;
  }
  /**
   * The next complete reply: a queued one at once, else the next to arrive within
   * `context.timeoutMs`. Replies queued before the server closed are still delivered (a 421
   * sent just before closing explains the close better than "connection closed" would).
   */
  readReply(context) {
    this.#phase = context.phase;
    this.#command = context.command;
    return this.#replies.read(context);
  }
  /**
   * Sends bytes (a command, a pipelined group of commands in one call, or a chunk of message
   * data) and records `transcriptLines` (never the message itself). Resolves once the socket
   * takes the bytes; when its buffer is full, waits for 'drain' up to `timeouts.dataBlock`.
   * When the server has already closed but left a reply queued, nothing is sent and the next
   * read returns that reply. `context` names the step in errors (default: the last read's).
   */
  async write(bytes, transcriptLines, context) {
    const first = transcriptLines[0];
    const step = {
      phase: context?.phase ?? this.#phase,
      command: context?.command ?? (first?.sensitive === true ? void 0 : first?.text) ?? this.#command
    };
    if (this.#replies.isDone) {
      if (this.#replies.queuedCount === 0) throw this.#replies.errorFor(step);
      this.#options.transcript.info(`[not sent (${step.command}): the server had closed]`);
      return;
    }
    for (const line of transcriptLines) {
      this.#options.transcript.client(line.text, { sensitive: line.sensitive === true });
    }
    await writeWithBackpressure(this.#socket, bytes, this.#options.timeouts.dataBlock, {
      onClose: () => this.#replies.errorFor(step),
      onTimeout: () => {
        const { dataBlock } = this.#options.timeouts;
        this.#replies.fail(writeTimeoutError(this.#replies.describeState(), step, dataBlock));
        return this.#replies.errorFor(step);
      }
    });
  }
  /**
   * STARTTLS (RFC 3207): call after the server's 220. Refuses when anything follows that 220,
   * then runs the handshake with the same settings and starts over with an empty parser.
   */
  async upgradeToTls() {
    const step = { phase: "starttls", command: "STARTTLS" };
    if (this.#tlsInfo !== void 0) {
      throw new SmtpTlsError("STARTTLS was attempted on a connection already using TLS.", step);
    }
    if (this.#replies.hasUnreadBytes || this.#socket.readableLength > 0) {
      const error2 = injectionError(this.#endpoint);
      this.#replies.fail(error2);
      throw error2;
    }
    if (this.#replies.isDone) throw this.#replies.errorFor(step);
    const plain = this.#socket;
    this.#detach(plain);
    try {
      const target = { ...this.#options, connectTimeoutMs: this.#options.timeouts.connect };
      this.#socket = await upgradeSocket(plain, target, this.#total.signal);
    } catch (error2) {
      this.#replies.fail(error2);
      throw this.#replies.errorFor(step);
    }
    this.#replies.reset();
    const info2 = readTlsInfo(this.#socket);
    this.#tlsInfo = info2;
    this.#attach(this.#socket);
    this.#options.transcript.info(`[TLS: ${info2.protocol} ${info2.cipher}]`);
    return info2;
  }
  /** Ends the connection politely (FIN), destroying it if the server has not closed in 2 s. */
  close() {
    const socket = this.#socket;
    this.#total.dispose();
    if (socket.destroyed) return Promise.resolve();
    return new Promise((resolve5) => {
      const timer = setTimeout(() => socket.destroy(), 2e3);
      socket.once("close", () => {
        clearTimeout(timer);
        resolve5();
      });
      socket.end();
    });
  }
  /** Drops the connection at once; a pending read rejects. */
  destroy() {
    const message = `The client closed the connection to ${this.#endpoint}.`;
    this.#replies.fail(new SmtpConnectionError(message, { phase: this.#phase }));
  }
  #record(reply) {
    reply.lines.forEach((text2, index) => {
      const separator = index < reply.lines.length - 1 ? "-" : " ";
      this.#options.transcript.server(`${reply.code}${separator}${text2}`);
    });
  }
  #attach(socket) {
    socket.setNoDelay(true);
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("close", this.#onEnd);
    socket.on("error", this.#onError);
    socket.resume();
  }
  #detach(socket) {
    socket.off("data", this.#onData);
    socket.off("end", this.#onEnd);
    socket.off("close", this.#onEnd);
    socket.off("error", this.#onError);
    socket.on("error", noop);
  }
  #onData = (chunk) => this.#replies.push(chunk);
  #onError = (error2) => this.#replies.fail(error2);
  #onEnd = () => {
    if (this.#socket.destroyed) this.#total.dispose();
    this.#replies.end();
  };
  /** After the first failure: no timer may keep the process alive, no socket stay open. */
  #tearDown() {
    this.#total.dispose();
    this.#detach(this.#socket);
    this.#socket.destroy();
  }
};

// src/smtp/session.ts
var SmtpSession = class _SmtpSession {
  #connection;
  #options;
  #capabilities = HELO_CAPABILITIES;
  #authMechanism;
  #pipelineAuth;
  #deferredAuth;
  /** QUIT went out with the final dot (RFC 2920 3.1); only its reply is still owed. */
  #quitSent = false;
  constructor(connection, options, settings) {
    this.#connection = connection;
    this.#options = options;
    this.#pipelineAuth = settings.pipelineAuth === true;
  }
  /**
   * Connects, waits for the greeting, says EHLO, upgrades with STARTTLS and authenticates (with
   * `pipelineAuth`, a PLAIN AUTH may instead be readied to lead the first envelope group).
   */
  static async open(options, transcript, settings = {}) {
    const connection = await SmtpConnection.open({ ...options, transcript });
    const session = new _SmtpSession(connection, options, settings);
    try {
      await session.#establish(transcript);
      return session;
    } catch (error2) {
      if (isAuthRefusal(error2)) await session.quit();
      else connection.destroy();
      throw error2;
    }
  }
  get capabilities() {
    return this.#capabilities;
  }
  get tlsInfo() {
    return this.#connection.tlsInfo;
  }
  get authMechanism() {
    return this.#authMechanism;
  }
  get connection() {
    return this.#connection;
  }
  get timeouts() {
    return this.#options.timeouts;
  }
  /** Sends one command and returns its reply, unchecked: the caller compares it. */
  async command(command, phase, timeoutMs) {
    await this.#connection.write(command.bytes, [{ text: command.line }], {
      phase,
      command: command.line
    });
    return this.read(phase, command.line, timeoutMs);
  }
  /** Reads the next reply, for a command already sent (pipelining reads after one write). */
  read(phase, command, timeoutMs) {
    const wait = timeoutMs ?? this.#options.timeouts.command;
    return this.#connection.readReply({ phase, command, timeoutMs: wait });
  }
  /**
   * Writes a pipelined group of commands (their replies are the caller's to read). An AUTH that
   * `#authenticate` readied leads it in the same write (RFC 4954 4); its reply is checked here,
   * and a refusal throws once the group's replies are out of the way.
   */
  async writeGroup(group, phase) {
    const bytes = Buffer.concat(group.map((command) => command.bytes));
    const lines = group.map((command) => ({ text: command.line }));
    const auth = this.#deferredAuth;
    this.#deferredAuth = void 0;
    if (auth !== void 0) {
      await authenticateLeading(this.#authIo(), auth, { bytes, lines });
      this.#authMechanism = auth.name;
      return;
    }
    await this.#connection.write(bytes, lines, { phase, command: group[0]?.line ?? "" });
  }
  #authIo() {
    return {
      connection: this.#connection,
      read: (phase, command) => this.read(phase, command),
      destroy: () => this.destroy()
    };
  }
  /** Records that QUIT was written with the final dot, so `quit` must not send it again. */
  noteQuitSent() {
    this.#quitSent = true;
  }
  /**
   * Ends the session politely (RFC 5321 4.1.1.10), reading the reply to a QUIT already sent
   * with the dot rather than sending another. A failure here cannot undo what the server
   * already accepted, so it is returned as a warning instead of thrown.
   */
  async quit() {
    try {
      const reply = this.#quitSent ? await this.read("quit", "QUIT") : await this.command(commandOf(quitCommand(), "QUIT"), "quit");
      expectReply(reply, "2", { phase: "quit", command: "QUIT" });
      await this.#connection.close();
      return void 0;
    } catch (error2) {
      this.#connection.destroy();
      return `QUIT did not complete cleanly: ${error2 instanceof Error ? error2.message : String(error2)}`;
    }
  }
  destroy() {
    this.#connection.destroy();
  }
  async #establish(transcript) {
    const greeting = await this.read("greeting", "the greeting", this.#options.timeouts.greeting);
    expectReply(greeting, 220, { phase: "greeting", command: "the greeting (connection opened)" });
    const { tls: tls2, auth } = this.#options;
    await this.#hello(tls2 === "starttls" || auth !== void 0);
    if (tls2 === "starttls") await this.#startTls();
    if (auth !== void 0) await this.#authenticate(transcript);
  }
  /**
   * EHLO, falling back to HELO only when the server does not know EHLO (500/502, RFC 5321
   * 4.1.4) and only when nothing the user asked for needs an extension: a HELO session has
   * neither STARTTLS nor AUTH, and falling back would silently drop them.
   */
  async #hello(extensionsRequired) {
    const name = this.#options.ehloName ?? defaultEhloName(this.#connection.localAddress);
    const reply = await this.command(commandOf(ehloCommand(name), `EHLO ${name}`), "ehlo");
    if ((reply.code === 500 || reply.code === 502) && !extensionsRequired) {
      const helo = await this.command(commandOf(heloCommand(name), `HELO ${name}`), "ehlo");
      this.#capabilities = capabilitiesFromHelo(
        expectReply(helo, 250, { phase: "ehlo", command: "HELO" })
      );
      return;
    }
    this.#capabilities = parseEhlo(expectReply(reply, 250, { phase: "ehlo", command: "EHLO" }));
  }
  /** RFC 3207: required STARTTLS fails closed: not offered, refused or failed all stop here. */
  async #startTls() {
    if (!this.#capabilities.startTls) {
      throw new SmtpTlsError(
        `The server does not offer STARTTLS, and tls 'starttls' requires it. If the port expects TLS from the first byte (usually 465), use tls 'implicit'; never send credentials without TLS.`,
        { phase: "starttls", command: "EHLO" }
      );
    }
    const reply = await this.command(commandOf(startTlsCommand(), "STARTTLS"), "starttls");
    expectReply(reply, 220, { phase: "starttls", command: "STARTTLS", errorType: SmtpTlsError });
    await this.#connection.upgradeToTls();
    this.#capabilities = HELO_CAPABILITIES;
    await this.#hello(true);
  }
  /** RFC 4954: credentials given but no AUTH offered is an error, never an anonymous send. */
  async #authenticate(transcript) {
    const auth = this.#options.auth;
    if (auth === void 0) return;
    if (this.#capabilities.auth.length === 0) {
      throw new SmtpAuthError(
        "Credentials were given but the server offers no AUTH mechanism, so nothing was sent. Check the port (submission is usually 587 or 465) or remove the credentials.",
        { phase: "auth", command: "EHLO" }
      );
    }
    const connection = this.#connection;
    if (!connection.secure && !connection.isLoopback && !this.#options.allowAuthWithoutTls) {
      throw new SmtpAuthError(
        "Refusing to authenticate over a connection without TLS; use tls starttls or implicit.",
        { phase: "auth", command: "AUTH" }
      );
    }
    const name = chooseMechanism(this.#capabilities.auth, auth.mechanism ?? "auto");
    const credentials = { username: auth.username, password: auth.password };
    const secrets = secretFormsOf(credentials);
    for (const secret of secrets) transcript.addSecret(secret);
    const mechanism = createMechanism(name, credentials);
    if (this.#pipelineAuth && canLeadGroup(name, mechanism, this.#capabilities.pipelining)) {
      this.#deferredAuth = { name, mechanism, secrets };
      return;
    }
    await authenticate(createAuthChannel(this.#authIo()), mechanism, { secrets });
    this.#authMechanism = name;
  }
};
function commandOf(bytes, line) {
  return { bytes, line };
}

// src/smtp/envelope-group.ts
function buildEnvelope(send, parameters, recipients) {
  return {
    mail: commandOf(
      mailCommand(send.sender.wire, parameters.mail),
      `MAIL FROM:<${send.sender.wire}>`
    ),
    rcpts: recipients.map(
      (r) => commandOf(rcptCommand(r.wire, parameters.rcpt), `RCPT TO:<${r.wire}>`)
    ),
    data: commandOf(dataCommand(), "DATA")
  };
}
function groupOf(envelope) {
  return [envelope.mail, ...envelope.rcpts, envelope.data];
}
async function sendEnvelopePipelined(session, envelope, heard) {
  await session.writeGroup(groupOf(envelope), "mail");
  return readEnvelopeReplies(session, envelope, heard);
}
async function readEnvelopeReplies(session, envelope, heard) {
  const mail = heard.mail = await checkedRead(session, "mail", envelope.mail.line);
  for (const rcpt of envelope.rcpts) {
    heard.recipients.push(await checkedRead(session, "rcpt", rcpt.line));
  }
  const data = await checkedRead(session, "data", envelope.data.line);
  return { mail, recipients: heard.recipients, data };
}
async function sendEnvelopeInTurn(session, envelope, heard) {
  const { mail, rcpts, data } = envelope;
  const mailReply = checkClosing(await session.command(mail, "mail"), "mail", mail.line);
  heard.mail = expectReply(mailReply, "2", { phase: "mail", command: mail.line });
  const recipients = heard.recipients;
  for (const rcpt of rcpts) {
    recipients.push(checkClosing(await session.command(rcpt, "rcpt"), "rcpt", rcpt.line));
  }
  if (!recipients.some((reply) => reply.code >= 200 && reply.code < 300)) {
    return { mail: mailReply, recipients, data: void 0 };
  }
  const dataReply = checkClosing(await session.command(data, "data"), "data", data.line);
  return { mail: mailReply, recipients, data: dataReply };
}
async function abandonEnvelope(session, envelope, dotReply) {
  let data;
  if (dotReply.code !== 421) {
    const heard = { mail: void 0, recipients: [] };
    data = await readEnvelopeReplies(session, envelope, heard).then(
      (replies) => replies.data,
      () => void 0
    );
  }
  if (data !== void 0 && data.code !== 354 && session.connection.isOpen) return "in step";
  session.destroy();
  return "dropped";
}
async function checkedRead(session, phase, command) {
  return checkClosing(await session.read(phase, command), phase, command);
}
function checkClosing(reply, phase, command) {
  if (reply.code === 421) expectReply(reply, "2", { phase, command });
  return reply;
}

// src/smtp/recipient-replies.ts
function isDeferral(reply) {
  if (reply.code === 452) return !(reply.enhancedCode ?? "").startsWith("4.2.");
  if (reply.code !== 552) return false;
  return reply.enhancedCode === "5.5.3" || /too many recipients/i.test(reply.lines.join(" "));
}
function sortRecipientReplies(recipients, replies) {
  const sorted = {
    accepted: [],
    rejected: [],
    deferred: [],
    deferredReplies: []
  };
  recipients.forEach((recipient, index) => {
    const reply = replies[index];
    if (reply === void 0) return;
    const entry = { address: recipient.wire, reply };
    if (reply.code >= 200 && reply.code < 300) sorted.accepted.push(entry);
    else if (isDeferral(reply)) {
      sorted.deferred.push(recipient);
      sorted.deferredReplies.push(entry);
    } else sorted.rejected.push(entry);
  });
  return sorted;
}
function refusalsHeard(recipients, heard) {
  const mail = heard.mail;
  if (mail === void 0 || mail.code < 200 || mail.code >= 300) return [];
  return sortRecipientReplies(recipients, heard.recipients).rejected;
}

// src/smtp/transaction.ts
var dotLine = new Uint8Array([46, 13, 10]);
var abandonNotes = {
  "in step": "[message refused: the next transaction, already begun, is left without content]",
  dropped: "[message refused: the connection is closed before the next transaction has content]"
};
async function runTransaction(context, recipients, envelopeSent = false) {
  const { session, send } = context;
  const envelope = buildEnvelope(send, context.parameters, recipients);
  const heard = { mail: void 0, recipients: [] };
  try {
    const replies = await exchangeEnvelope(session, envelope, heard, envelopeSent);
    const sorted = sortRecipientReplies(recipients, replies.recipients);
    const mailAccepted = replies.mail.code >= 200 && replies.mail.code < 300;
    const accepted = mailAccepted ? sorted.accepted : [];
    const next = context.plan.next(accepted.length, sorted.deferred);
    if (accepted.length === 0) {
      await endEmptyTransaction(session, replies, next.length > 0);
      expectReply(replies.mail, "2", { phase: "mail", command: envelope.mail.line });
      return { ...sorted, accepted, reply: void 0, next, nextSent: false };
    }
    expectReply(replies.data ?? replies.mail, 354, { phase: "data", command: "DATA" });
    const pipelining = session.capabilities.pipelining;
    const after = pipelining && next.length > 0 ? { envelope: buildEnvelope(send, context.parameters, next) } : { quit: pipelining };
    const reply = await sendMessage(session, send.message, after, context.transcript);
    return { ...sorted, accepted, reply, next, nextSent: "envelope" in after };
  } catch (error2) {
    if (error2 instanceof SmtpError) error2.rejected = refusalsHeard(recipients, heard);
    throw error2;
  }
}
async function exchangeEnvelope(session, envelope, heard, sent) {
  if (sent) return readEnvelopeReplies(session, envelope, heard);
  await refuseUnaskedReply(session, "mail", envelope.mail.line);
  return session.capabilities.pipelining ? sendEnvelopePipelined(session, envelope, heard) : sendEnvelopeInTurn(session, envelope, heard);
}
async function endEmptyTransaction(session, replies, more) {
  const serverAccepted = replies.recipients.some((reply) => reply.code >= 200 && reply.code < 300);
  if (replies.data?.code === 354 && serverAccepted) {
    session.destroy();
  } else if (replies.data?.code === 354) {
    const quit = !more && session.capabilities.pipelining;
    const { bytes, lines } = dotWithRiders(session, dotLine, { quit });
    await session.connection.write(bytes, lines, { phase: "data", command: "." });
    await session.read("data", ".");
  } else if (replies.mail.code < 400 && more) {
    await session.command(commandOf(rsetCommand(), "RSET"), "mail");
  }
}
async function sendMessage(session, message, after, transcript) {
  const encoder = new DataEncoder();
  const content = encoder.push(message);
  transcript.info(`[message: ${message.length} octets]`);
  const context = { phase: "message", command: "the message content" };
  await refuseUnaskedReply(session, context.phase, context.command);
  await session.connection.write(content, [], context);
  await refuseUnaskedReply(session, context.phase, context.command);
  const { bytes: tail, lines } = dotWithRiders(session, encoder.end(), after);
  const dot = { phase: "message", command: "the end of the message (.)" };
  const dotHandedOver = session.connection.isOpen;
  try {
    await session.connection.write(tail, lines, { phase: "message", command: "." });
    const reply = await session.read(dot.phase, dot.command, session.timeouts.finalReply);
    if ("envelope" in after && (reply.code < 200 || reply.code >= 300)) {
      const ending = await abandonEnvelope(session, after.envelope, reply);
      transcript.info(abandonNotes[ending]);
    }
    return expectReply(reply, "2", dot);
  } catch (error2) {
    if (error2 instanceof SmtpError && error2.reply === void 0 && dotHandedOver) {
      error2.outcome = "unknown";
    }
    throw error2;
  }
}
function dotWithRiders(session, end, after) {
  let riders = [];
  if ("envelope" in after) {
    riders = groupOf(after.envelope);
  } else if (after.quit) {
    session.noteQuitSent();
    riders = [commandOf(quitCommand(), "QUIT")];
  }
  const bytes = Buffer.concat([end, ...riders.map((command) => command.bytes)]);
  return { bytes, lines: [{ text: "." }, ...riders.map((command) => ({ text: command.line }))] };
}
async function refuseUnaskedReply(session, phase, command) {
  const unread = session.connection.unread;
  if (unread === "nothing") return;
  let heard = "part of a reply";
  try {
    if (unread === "reply") {
      const early = await session.read(phase, command);
      expectReply(early, ["2", "3"], { phase, command });
      heard = formatReply(early);
    }
  } finally {
    session.destroy();
  }
  throw new SmtpProtocolError(
    `The server sent ${heard} where no reply was due (before ${command}): it answers nothing the client sent, so the session is out of step. Stopped before the final dot, so this transaction delivered nothing.`,
    { phase, command }
  );
}

// src/smtp/transcript.ts
var defaultMaxEntries = 1e3;
var authPrefix = /^AUTH[ \t]+[A-Za-z0-9_-]+/i;
var Transcript = class {
  #entries = [];
  #secrets = /* @__PURE__ */ new Set();
  #maxEntries;
  #dropped = 0;
  constructor(options = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? defaultMaxEntries);
  }
  /** Records a line the client sent. */
  client(line, options = {}) {
    this.#add("client", options.sensitive === true ? redactSensitiveLine(line) : line);
  }
  /** Records a line the server sent, e.g. `250-PIPELINING`. */
  server(line) {
    this.#add("server", line);
  }
  /** Records a note from the client itself, e.g. `[message: 1234 octets]`. */
  info(text2) {
    this.#add("info", text2);
  }
  /**
   * Registers a string to mask everywhere, in entries already recorded and in those to come.
   * Empty strings are ignored; one under 4 characters is masked wherever it stands as a whole
   * token (see redactSecrets), so that a one-letter password does not cut up every word.
   */
  addSecret(secret) {
    if (secret === "" || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    for (const entry of this.#entries) entry.text = this.redact(entry.text);
  }
  /** Masks every registered secret in `text`. */
  redact(text2) {
    return redactSecrets(text2, [...this.#secrets]);
  }
  /** The entries kept, oldest first. */
  get entries() {
    return this.#entries.map((entry) => ({ ...entry }));
  }
  /** How many old entries were dropped to keep within the bound. */
  get droppedCount() {
    return this.#dropped;
  }
  /** One line per entry: `C: ` for the client, `S: ` for the server and `* ` for notes. */
  format() {
    const prefix = {
      client: "C: ",
      server: "S: ",
      info: "* "
    };
    const lines = this.#entries.map((entry) => prefix[entry.direction] + entry.text);
    if (this.#dropped > 0) lines.unshift(`* [${this.#dropped} earlier entries dropped]`);
    return lines.join("\n");
  }
  #add(direction, text2) {
    const printable = escapeUnprintable(this.redact(text2));
    this.#entries.push({ direction, text: printable });
    if (this.#entries.length > this.#maxEntries) {
      this.#entries.shift();
      this.#dropped += 1;
    }
  }
};
function redactSensitiveLine(line) {
  const prefix = authPrefix.exec(line);
  return prefix === null ? redactedMark : `${prefix[0]} ${redactedMark}`;
}

// src/smtp/send-mail.ts
async function sendMail(options) {
  const send = checkSendOptions(options);
  const transcript = new Transcript();
  if (send.auth !== void 0) transcript.addSecret(send.auth.password);
  const session = await SmtpSession.open(send, transcript, { pipelineAuth: true }).catch(
    withTranscript(transcript)
  );
  try {
    const parameters = chooseEnvelopeParameters(send, session.capabilities);
    const plan = new RecipientPlan(send.recipients);
    const delivery = await deliver({ session, send, parameters, transcript, plan });
    const warnings = [...parameters.warnings];
    const quitWarning = await session.quit();
    if (quitWarning !== void 0) warnings.push(quitWarning);
    for (const { reply } of [...delivery.accepted, ...delivery.rejected]) {
      redactReply(reply, transcript);
    }
    redactReply(delivery.reply, transcript);
    return {
      ...report(session, transcript, warnings),
      ...delivery,
      reply: delivery.reply
    };
  } catch (error2) {
    await endAfterFailure(session, error2);
    return withTranscript(transcript)(error2);
  }
}
function withTranscript(transcript) {
  return (error2) => {
    redactFailure(error2, transcript);
    if (error2 instanceof SmtpError) error2.transcript = transcript.entries;
    throw error2;
  };
}
async function verifyConnection(options) {
  const checked = checkServerOptions(options);
  const transcript = new Transcript();
  if (checked.auth !== void 0) transcript.addSecret(checked.auth.password);
  const session = await SmtpSession.open(checked, transcript).catch(withTranscript(transcript));
  const warning2 = await session.quit();
  return report(session, transcript, warning2 === void 0 ? [] : [warning2]);
}
function report(session, transcript, warnings) {
  return {
    tls: session.tlsInfo,
    authMechanism: session.authMechanism,
    transcript: transcript.entries,
    warnings: warnings.map((warning2) => transcript.redact(warning2))
  };
}
async function deliver(context) {
  const delivery = {
    accepted: [],
    rejected: [],
    reply: void 0,
    transactions: 0
  };
  let recipients = context.plan.first();
  let envelopeSent = false;
  while (recipients.length > 0) {
    delivery.transactions += 1;
    const outcome = await runTransaction(
      context,
      recipients,
      envelopeSent
    ).catch((error2) => attachProgress(error2, delivery));
    delivery.accepted.push(...outcome.accepted);
    delivery.rejected.push(...outcome.rejected);
    delivery.reply = outcome.reply ?? delivery.reply;
    if (outcome.accepted.length === 0) delivery.rejected.push(...outcome.deferredReplies);
    recipients = outcome.next;
    envelopeSent = outcome.nextSent;
  }
  if (delivery.accepted.length === 0) throw allRefused(delivery.rejected);
  return delivery;
}
function attachProgress(error2, delivery) {
  if (!(error2 instanceof SmtpError)) throw error2;
  if (delivery.accepted.length > 0) {
    error2.outcome = error2.outcome === "unknown" ? "unknown" : "partial";
    error2.delivered = delivery.accepted.map((recipient) => recipient.address);
  }
  error2.rejected = [...delivery.rejected, ...error2.rejected];
  throw error2;
}
function allRefused(rejected) {
  const list = rejected.map((r) => `${r.address} (${r.reply.code} ${r.reply.lines.join(" ")})`);
  const first = rejected[0];
  const error2 = new SmtpRecipientsError(
    `The server refused every recipient, so nothing was sent: ${list.join("; ")}.`,
    {
      phase: "rcpt",
      command: first === void 0 ? "RCPT TO" : `RCPT TO:<${first.address}>`,
      ...first === void 0 ? {} : { reply: first.reply },
      transient: rejected.every((r) => r.reply.code >= 400 && r.reply.code < 500)
    }
  );
  error2.rejected = rejected;
  return error2;
}
async function endAfterFailure(session, error2) {
  const refused = error2 instanceof SmtpError && error2.reply !== void 0 && error2.reply.code !== 421;
  const polite = refused || error2 instanceof SmtpInputError;
  if (polite) await session.quit();
  else session.destroy();
}

// src/action/outputs.ts
function formatRecipients(recipients) {
  const list = recipients.map(({ address, reply }) => ({
    address,
    reply: formatReply(reply)
  }));
  return JSON.stringify(list);
}
function writeOutputs(values) {
  const recipients = (list) => list === void 0 ? "" : formatRecipients(list);
  setOutput(Outputs.messageId, values.messageId ?? "");
  setOutput(Outputs.result, values.result ?? "");
  setOutput(Outputs.attempts, values.attempts === void 0 ? "" : String(values.attempts));
  setOutput(Outputs.accepted, recipients(values.accepted));
  setOutput(Outputs.rejected, recipients(values.rejected));
  setOutput(
    Outputs.response,
    values.response === void 0 ? "" : formatReply(values.response)
  );
  setOutput(Outputs.emlPath, values.emlPath ?? "");
}

// src/action/safe-log.ts
import { randomUUID as randomUUID2 } from "node:crypto";
import { EOL as EOL5 } from "node:os";
var LINE_BREAK = /\r\n|[\r\n\u2028\u2029\u0085]/;
var CONTROL2 = /[\u0000-\u0008\u000b-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069]/g;
function showCodePoint(char) {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
function escapeControls(text2) {
  return text2.replace(CONTROL2, showCodePoint);
}
var LEGACY_COMMAND = /##\[/g;
function disarmLegacyCommands(text2) {
  return text2.replace(LEGACY_COMMAND, "##\\u005b");
}
var UNPRINTABLE2 = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function escapeUntrustedInline(text2) {
  return disarmLegacyCommands(text2.replace(UNPRINTABLE2, showCodePoint));
}
function escapeUntrustedLines(text2) {
  return text2.split(LINE_BREAK).map(escapeUntrustedInline).join("\n");
}
function checkPrefix(prefix) {
  if (prefix.trimStart() === "" || prefix.trimStart() !== prefix || prefix.startsWith(":")) {
    throw new TypeError(
      `printUntrusted needs a prefix that starts with a visible character other than ':', e.g. "S: "; got ${JSON.stringify(prefix)}.`
    );
  }
}
function prefixLines(lines, prefix) {
  const printed = [];
  for (const line of lines) {
    for (const piece of line.split(LINE_BREAK))
      printed.push(disarmLegacyCommands(prefix + escapeControls(piece)));
  }
  return printed;
}
function writePaused(lines) {
  if (lines.length === 0) return;
  const token = randomUUID2();
  info([`::stop-commands::${token}`, ...lines, `::${token}::`].join(EOL5));
}
function printUntrusted(lines, prefix) {
  checkPrefix(prefix);
  writePaused(prefixLines(lines, prefix));
}
var transcriptPrefixes = {
  client: "C: ",
  server: "S: ",
  info: "*  "
};
function printTranscript(entries) {
  startGroup("SMTP transcript");
  try {
    const lines = entries.flatMap(
      (entry) => prefixLines([entry.text], transcriptPrefixes[entry.direction])
    );
    writePaused(lines.length > 0 ? lines : ["*  (nothing was exchanged)"]);
  } finally {
    endGroup();
  }
}
var maxQuotedLength = 300;
function quoteUntrusted(text2, maxLength = maxQuotedLength) {
  const cut = text2.length > maxLength ? `${text2.slice(0, maxLength)}\u2026` : text2;
  return escapeUntrustedInline(JSON.stringify(cut));
}

// src/template/output-format.ts
function formatValue(value) {
  if (value === null || value === void 0) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const plain = value.every((item) => typeof item !== "object" || item === null);
    return plain ? value.map(formatValue).join("") : formatJson(value);
  }
  if (typeof value === "object") return formatJson(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  return "";
}
function formatJson(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return "[unprintable value]";
  }
}
var HTML_ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  // Not needed between tags or in a quoted attribute, but a template author may leave an
  // attribute unquoted (`title={{ x }}`): there `=` would let a value add `onclick=…` after a
  // space, and old engines took a backtick for a quote. A browser shows both as typed.
  "=": "&#61;",
  "`": "&#96;"
};
function escapeHtml(text2) {
  return text2.replace(/[&<>"'=`]/g, (char) => HTML_ESCAPES[char] ?? char);
}
var HEADER_BREAKS = /[\p{Cc}\p{Z}]+/gu;
var LONE_SURROGATE2 = new RegExp("\\p{Cs}", "gu");
var HEADER_MAX_CHARACTERS = 998;
function flattenHeader(text2) {
  const line = text2.replace(LONE_SURROGATE2, "\uFFFD").replace(HEADER_BREAKS, " ").trim();
  if (line.length <= HEADER_MAX_CHARACTERS) return line;
  const characters = [...line];
  if (characters.length <= HEADER_MAX_CHARACTERS) return line;
  return `${characters.slice(0, HEADER_MAX_CHARACTERS - 1).join("").trimEnd()}\u2026`;
}
var ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
var MARKDOWN_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029 ]+/g;
var MARKDOWN_HTML_ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
};
function escapeMarkdown(text2) {
  return text2.replace(MARKDOWN_BREAKS, " ").replace(ASCII_PUNCTUATION, (char) => MARKDOWN_HTML_ESCAPES[char] ?? `&#x${toHex(char)};`);
}
function toHex(char) {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, "0");
}
var ESCAPED_REFERENCE = /&#x([0-9A-F]{2});/g;
var ESCAPED_REFERENCE_IN_CODE = /&amp;(#x[0-9A-F]{2}|amp|lt|gt|quot|#39);/g;

// src/template/safe-url.ts
var SAFE_SCHEMES = /* @__PURE__ */ new Set(["http", "https", "mailto", "tel", "cid"]);
var URL_ATTRIBUTES = /* @__PURE__ */ new Set([
  "href",
  "src",
  "action",
  "formaction",
  "xlink:href",
  "background",
  "poster",
  "data",
  "codebase",
  "cite",
  "longdesc",
  "lowsrc",
  "dynsrc"
]);
var NAMED_REFERENCES = {
  colon: ":",
  tab: "	",
  newline: "\n",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'"
};
var URL_EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
function normaliseUrl(value) {
  return value.replace(
    /&#(?:x([0-9a-f]+)|(\d+));?|&([a-z]+);/gi,
    (reference, hex, dec, name) => {
      if (name !== void 0) return NAMED_REFERENCES[name.toLowerCase()] ?? reference;
      const code = hex !== void 0 ? parseInt(hex, 16) : Number(dec);
      return code > 0 && code <= 1114111 ? String.fromCodePoint(code) : "\uFFFD";
    }
  ).replace(URL_EDGES, "").replace(/[\t\n\r]/g, "");
}
function isSafeUrl(value, { relative: relative3 }) {
  const url2 = normaliseUrl(value);
  const scheme = /^([^:/?#]*):/.exec(url2)?.[1];
  if (scheme === void 0) return relative3 || url2.startsWith("#");
  return SAFE_SCHEMES.has(scheme.toLowerCase());
}
function dropUnsafeUrls(html) {
  let output = "";
  let copied = 0;
  TAG_NAME.lastIndex = 0;
  for (let tag = TAG_NAME.exec(html); tag !== null; tag = TAG_NAME.exec(html)) {
    const attributes = readAttributes(html, TAG_NAME.lastIndex);
    for (const attribute of attributes) {
      if (!URL_ATTRIBUTES.has(attribute.name.toLowerCase())) continue;
      if (isSafeUrl(attribute.value, { relative: true })) continue;
      output += html.slice(copied, attribute.start);
      copied = attribute.end;
    }
    TAG_NAME.lastIndex = attributes.at(-1)?.end ?? TAG_NAME.lastIndex;
  }
  return copied === 0 ? html : output + html.slice(copied);
}
var TAG_NAME = /<[a-z][^\s/>]*/gi;
var ATTRIBUTE_NAME = /[\s/]*([^\s/>][^\s/>=]*)(\s*=\s*)?/y;
var UNQUOTED_VALUE = /[^\s>]*/y;
function readAttributes(html, from) {
  const attributes = [];
  ATTRIBUTE_NAME.lastIndex = from;
  for (let match3 = ATTRIBUTE_NAME.exec(html); match3 !== null; match3 = ATTRIBUTE_NAME.exec(html)) {
    const [whole, name = "", equals = ""] = match3;
    const start = match3.index + whole.length - name.length - equals.length;
    const [value, end] = equals === "" ? ["", match3.index + whole.length] : readValue(html, match3.index + whole.length);
    attributes.push({ name, value, start, end });
    ATTRIBUTE_NAME.lastIndex = end;
  }
  return attributes;
}
function readValue(html, at2) {
  const quote = html[at2];
  if (quote === '"' || quote === "'") {
    const close = html.indexOf(quote, at2 + 1);
    return close === -1 ? [html.slice(at2 + 1), html.length] : [html.slice(at2 + 1, close), close + 1];
  }
  UNQUOTED_VALUE.lastIndex = at2;
  UNQUOTED_VALUE.exec(html);
  return [html.slice(at2, UNQUOTED_VALUE.lastIndex), UNQUOTED_VALUE.lastIndex];
}

// src/template/value-filters.ts
var VALUE_TYPES = ["text", "list"];
function keepOfType(value, type) {
  if (!isValueType(type)) {
    const known = VALUE_TYPES.map((name) => `'${name}'`).join(" or ");
    throw new Error(`of_type: ${formatType(type)} is not a type (use ${known})`);
  }
  return hasType(value, type) ? value : null;
}
function isValueType(type) {
  return VALUE_TYPES.some((known) => known === type);
}
function formatType(type) {
  return typeof type === "string" && /^[a-z_]{1,20}$/.test(type) ? `'${type}'` : "the argument";
}
function hasType(value, type) {
  if (type === "list") return Array.isArray(value);
  return typeof value === "string" || typeof value === "boolean" || typeof value === "number" && Number.isFinite(value);
}
function listEntries(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const entries = Object.entries(value);
  this.context.memoryLimit.use(entries.length);
  return entries;
}
var UNPRINTABLE3 = /[\s\p{Cc}\p{Cf}<>]/u;
var WEB_LINK = /^https?:\/\/[^/?#]/i;
function keepWebUrl(value) {
  if (typeof value !== "string" || UNPRINTABLE3.test(value)) return "";
  return WEB_LINK.test(value) && isSafeUrl(value, { relative: false }) ? value : "";
}
var graphemes2 = new Intl.Segmenter(void 0, { granularity: "grapheme" });
function truncateChars(value, length, ellipsis = "\u2026") {
  const text2 = formatValue(value);
  const end = formatValue(ellipsis);
  const limit = Number(length);
  const keep = limit - [...graphemes2.segment(end)].length;
  if (!Number.isInteger(limit) || keep < 0) {
    throw new Error(
      "truncatechars: needs the number of characters to keep, at least as many as the ellipsis has (truncatechars: 200)"
    );
  }
  if (text2.length <= limit) return text2;
  let seen = 0;
  let cut = 0;
  for (const { index } of graphemes2.segment(text2)) {
    if (seen === keep) cut = index;
    if (seen === limit) return `${text2.slice(0, cut).trimEnd()}${end}`;
    seen += 1;
  }
  return text2;
}
var VALUE_FILTERS = {
  of_type: keepOfType,
  entries: listEntries,
  web_url: keepWebUrl,
  truncatechars: truncateChars
};

// src/template/context.ts
var CONTEXT_NAMES = ["github", "event", "env", "vars", "status", "runner"];
function buildTemplateContext(source) {
  const event = isRecord(source.event) ? source.event : {};
  return {
    github: buildGitHubInfo(source.env, event),
    event,
    env: filterEnv(source.env),
    vars: {},
    status: source.status.trim().toLowerCase(),
    runner: {
      os: read(source.env, "RUNNER_OS"),
      arch: read(source.env, "RUNNER_ARCH"),
      name: read(source.env, "RUNNER_NAME"),
      environment: read(source.env, "RUNNER_ENVIRONMENT")
    }
  };
}
function buildGitHubInfo(env, event) {
  const repository = read(env, "GITHUB_REPOSITORY");
  const serverUrl = (read(env, "GITHUB_SERVER_URL") || "https://github.com").replace(/\/+$/, "");
  const sha = read(env, "GITHUB_SHA");
  const ref = read(env, "GITHUB_REF");
  const pullRequest = pick2(event, "pull_request");
  const pullRequestUrl = readWebUrl(pullRequest, "html_url") || readWebUrl(pick2(pick2(event, "issue"), "pull_request"), "html_url");
  const shownSha = readString(pick2(pullRequest, "head"), "sha") || sha;
  const repoUrl = repository === "" ? "" : `${serverUrl}/${repository}`;
  return {
    repository,
    repository_owner: read(env, "GITHUB_REPOSITORY_OWNER") || repository.split("/")[0] || "",
    sha,
    short_sha: shownSha.slice(0, 7),
    ref,
    ref_name: read(env, "GITHUB_REF_NAME") || ref.replace(/^refs\/(heads|tags)\//, ""),
    ref_type: readRefType(read(env, "GITHUB_REF_TYPE"), ref),
    head_ref: read(env, "GITHUB_HEAD_REF"),
    base_ref: read(env, "GITHUB_BASE_REF"),
    workflow: read(env, "GITHUB_WORKFLOW"),
    job: read(env, "GITHUB_JOB"),
    run_id: read(env, "GITHUB_RUN_ID"),
    run_number: read(env, "GITHUB_RUN_NUMBER"),
    run_attempt: read(env, "GITHUB_RUN_ATTEMPT"),
    actor: read(env, "GITHUB_ACTOR"),
    triggering_actor: read(env, "GITHUB_TRIGGERING_ACTOR"),
    event_name: read(env, "GITHUB_EVENT_NAME"),
    server_url: serverUrl,
    run_url: buildRunUrl(repoUrl, read(env, "GITHUB_RUN_ID"), read(env, "GITHUB_RUN_ATTEMPT")),
    commit_url: repoUrl === "" || shownSha === "" ? "" : `${repoUrl}/commit/${shownSha}`,
    compare_url: readWebUrl(event, "compare") || pullRequestUrl && `${pullRequestUrl}/files`,
    pull_request_url: pullRequestUrl
  };
}
function buildRunUrl(repoUrl, runId, attempt) {
  if (repoUrl === "" || runId === "") return "";
  const base = `${repoUrl}/actions/runs/${runId}`;
  return /^\d+$/.test(attempt) && Number(attempt) > 1 ? `${base}/attempts/${attempt}` : base;
}
function readRefType(declared, ref) {
  if (declared === "branch" || declared === "tag") return declared;
  if (ref.startsWith("refs/heads/")) return "branch";
  if (ref.startsWith("refs/tags/")) return "tag";
  return "";
}
var HIDDEN_ENV = /^(INPUT_|ACTIONS_)|^(GITHUB_TOKEN|SMTP_PROXY)$/i;
function filterEnv(env) {
  const entries = Object.entries(env).filter(
    (entry) => typeof entry[1] === "string" && !HIDDEN_ENV.test(entry[0])
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
function read(env, name) {
  return (env[name] ?? "").trim();
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function pick2(value, key) {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : void 0;
}
function readString(value, key) {
  const found = pick2(value, key);
  return typeof found === "string" ? found : "";
}
function readWebUrl(value, key) {
  return keepWebUrl(readString(value, key));
}

// src/template/render.ts
var import_liquidjs3 = __toESM(require_liquid_node(), 1);

// src/template/liquid-error.ts
var import_liquidjs2 = __toESM(require_liquid_node(), 1);
import { inspect } from "node:util";

// src/template/liquid-engine.ts
var import_liquidjs = __toESM(require_liquid_node(), 1);
var TEMPLATE_LIMITS = {
  /** Characters of template source per parse. */
  parseLength: 1e6,
  /** Milliseconds per render; checked between template nodes. */
  renderMs: 5e3,
  /** LiquidJS allocation units per render (range items, string lengths of append, join...). */
  memory: 2e7,
  /**
   * Characters a render may write. A loop can print a long value or long literal text many times
   * over while allocating nothing the memory limit counts (200 MB in two seconds otherwise).
   */
  outputLength: 5e6
};
var OUTPUT_LIMIT_MESSAGE = "output length limit exceeded";
var RefusedTagError = class extends Error {
  name = "RefusedTagError";
};
var ESCAPES = {
  text: formatValue,
  // The header flattening applies to the whole result (finishOutput), not to each value.
  header: formatValue,
  html: (value) => escapeHtml(formatValue(value)),
  markdown: (value) => escapeMarkdown(formatValue(value))
};
var engines = /* @__PURE__ */ new Map();
function getEngine(flavour) {
  let engine = engines.get(flavour);
  if (engine === void 0) {
    engine = createEngine(flavour);
    engines.set(flavour, engine);
  }
  return engine;
}
function finishOutput(flavour, output) {
  if (flavour === "header") return flattenHeader(output);
  return flavour === "html" ? dropUnsafeUrls(output) : output;
}
function createEngine(flavour) {
  const engine = new import_liquidjs.Liquid({
    strictVariables: true,
    // A missing value in {% if %}, {% unless %} or `| default` is false or empty, not an error:
    // templates guard fields only some events have with it.
    lenientIf: true,
    strictFilters: true,
    // Only own properties: no `constructor`, `__proto__` or prototype methods reachable.
    ownPropertyOnly: true,
    outputEscape: ESCAPES[flavour],
    // No file system: templates are single strings; the tags that read files are refused at
    // parse time, and the loader behind them could read nothing anyway.
    fs: NO_FILES,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    dynamicPartials: false,
    cache: false,
    parseLimit: TEMPLATE_LIMITS.parseLength,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory
  });
  for (const tag of ["include", "render", "layout"]) engine.registerTag(tag, refuseTag(tag));
  engine.registerTag("capture", CountedCaptureTag);
  for (const [name, filter2] of Object.entries(VALUE_FILTERS)) engine.registerFilter(name, filter2);
  return engine;
}
var CountedCaptureTag = class extends import_liquidjs.CaptureTag {
  *render(context) {
    yield* super.render(context);
    const captured = context.bottom()[this.variable];
    context.memoryLimit.use(typeof captured === "string" ? captured.length : 0);
  }
};
function refuseTag(tag) {
  return {
    parse() {
      throw new RefusedTagError(
        `{% ${tag} %} is not available: a template cannot read other files (put the text in this template, or pass values in through the \`vars\` input)`
      );
    },
    render() {
      return "";
    }
  };
}
function refuseFile(file) {
  return new RefusedTagError(`"${file}": templates cannot read files`);
}
var NO_FILES = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: (file) => Promise.reject(refuseFile(file)),
  readFileSync: (file) => {
    throw refuseFile(file);
  },
  resolve: (_dir, file) => file,
  contains: () => Promise.resolve(false),
  containsSync: () => false
};

// src/template/template-error.ts
var TemplateError = class extends Error {
  name = "TemplateError";
  /** Where the template came from: `subject`, `body`, `body-file docs/mail.md`, `vars.title`. */
  templateName;
  line;
  column;
  constructor(templateName, problem, position, options) {
    super(`${templateName}${formatPosition(position)}: ${problem}`, options);
    this.templateName = templateName;
    if (position !== void 0) {
      this.line = position.line;
      if (position.column !== void 0) this.column = position.column;
    }
  }
};
function formatPosition(position) {
  if (position === void 0) return "";
  const column = position.column === void 0 ? "" : `, column ${position.column}`;
  return `, line ${position.line}${column}`;
}

// src/template/liquid-error.ts
var SYNTAX_HELP = "see the Liquid syntax at https://liquidjs.com/tutorials/intro-to-liquid.html";
var FILTER_HELP = "check the spelling; filters are listed at https://liquidjs.com/filters/overview.html";
var MAX_LISTED_KEYS = 25;
var MIN_REDACTED_LENGTH = 6;
function toTemplateError(error2, source, context) {
  if (error2 instanceof TemplateError) return error2;
  const redact = redactValues(context.env);
  let problem;
  let position;
  if (import_liquidjs2.LiquidError.is(error2)) {
    problem = describeProblem(error2, source.text, context);
    position = readPosition(error2);
  } else {
    const message = error2 instanceof Error ? error2.message : String(error2);
    problem = describeLimit(message) ?? `${message} (${SYNTAX_HELP})`;
  }
  const details = inspect(error2);
  const cause = redact(details) === details ? { cause: error2 } : void 0;
  return new TemplateError(source.name, redact(problem), position, cause);
}
var RUNNER_FACTS = /* @__PURE__ */ new Set([
  "GITHUB_ACTOR",
  "GITHUB_BASE_REF",
  "GITHUB_EVENT_NAME",
  "GITHUB_HEAD_REF",
  "GITHUB_JOB",
  "GITHUB_REF",
  "GITHUB_REF_NAME",
  "GITHUB_REF_TYPE",
  "GITHUB_REPOSITORY",
  "GITHUB_REPOSITORY_OWNER",
  "GITHUB_RUN_ATTEMPT",
  "GITHUB_RUN_ID",
  "GITHUB_RUN_NUMBER",
  "GITHUB_SERVER_URL",
  "GITHUB_SHA",
  "GITHUB_TRIGGERING_ACTOR",
  "GITHUB_WORKFLOW",
  "RUNNER_ARCH",
  "RUNNER_ENVIRONMENT",
  "RUNNER_NAME",
  "RUNNER_OS"
]);
function redactValues(env) {
  const secretCandidates = Object.entries(env).filter(([name]) => !RUNNER_FACTS.has(name)).map(([, value]) => value);
  const values = [...new Set(secretCandidates)].filter((value) => value.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  return (text2) => values.reduce((result, value) => result.replaceAll(value, "***"), text2);
}
function readPosition(error2) {
  const [line, column] = error2.token.getPosition();
  if (line === void 0) return void 0;
  return column === void 0 ? { line } : { line, column };
}
function describeProblem(error2, text2, scope) {
  const original = error2.originalError;
  const missing = readMissingVariable(original);
  if (missing !== void 0) return describeMissing(missing, text2, scope);
  const message = stripPosition(original?.message ?? error2.message);
  const filter2 = /^undefined filter: (.+)$/.exec(message);
  if (filter2 !== null) return `"${filter2[1]}" is not a filter (${FILTER_HELP})`;
  if (original instanceof RefusedTagError) return message;
  const limit = describeLimit(message);
  if (limit !== void 0) return limit;
  return `${message} (${SYNTAX_HELP})`;
}
function readMissingVariable(error2) {
  if (error2 === void 0 || !("variableName" in error2)) return void 0;
  return typeof error2.variableName === "string" ? error2.variableName : void 0;
}
function stripPosition(message) {
  return message.replace(/, line:\d+, col:\d+$/, "");
}
function describeLimit(message) {
  switch (message) {
    case "parse length limit exceeded":
      return `the template is too long to parse (more than ${TEMPLATE_LIMITS.parseLength} characters)`;
    case "template render limit exceeded":
      return `rendering took longer than ${TEMPLATE_LIMITS.renderMs / 1e3} seconds (look for a loop over too many items; \`limit:\` caps a for loop)`;
    case "memory alloc limit exceeded":
    case "Invalid string length":
      return "rendering needs too much memory (look for a loop over a huge range or a string built up without bound; `limit:` caps a for loop)";
    case OUTPUT_LIMIT_MESSAGE:
      return `the output is longer than ${TEMPLATE_LIMITS.outputLength} characters (look for a loop that prints more than a message needs; \`limit:\` caps a for loop)`;
    case "Maximum call stack size exceeded":
      return "the template nests too deeply (tags inside tags); flatten the if and for blocks";
    default:
      return void 0;
  }
}
function describeMissing(path6, text2, scope) {
  const segments = splitPath(path6);
  if (!segments.every((segment) => text2.includes(segment))) {
    const shown = segments.map((segment) => text2.includes(segment) ? `.${segment}` : "[\u2026]");
    const display = shown.join("").replace(/^\./, "");
    return `"${display}" is not defined (the part shown as [\u2026] is a key taken from a value)`;
  }
  const last = segments[segments.length - 1] ?? path6;
  if (segments.length > 1 && !Object.hasOwn(scope, segments[0] ?? "")) {
    return `"${path6}" is not defined (check the spelling of "${last}")`;
  }
  const parent = segments.slice(0, -1);
  const hints2 = ["check the spelling", listAvailable(parent.join("."), lookUp(scope, parent))];
  if (segments[0] === "event") {
    hints2.push("a field only some events have can be guarded with {% if event.field %}");
  }
  if (segments[0] === "vars" && segments.length <= 2) {
    hints2.push("vars holds the keys of the `vars` input, and a var cannot refer to another");
  }
  return `"${path6}" is not defined (${hints2.join("; ")})`;
}
function lookUp(scope, segments) {
  let value = scope;
  for (const segment of segments) {
    if (!isIndexable(value) || !Object.hasOwn(value, segment)) return void 0;
    value = value[segment];
  }
  return value;
}
function listAvailable(where, value) {
  if (where === "") {
    return `available: ${CONTEXT_NAMES.join(", ")}, and names set by assign, capture or for`;
  }
  if (Array.isArray(value)) return `${where} is a list of ${value.length}`;
  if (!isIndexable(value)) return `${where} ${describeKind(value)}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return `${where} is empty`;
  const shown = keys.slice(0, MAX_LISTED_KEYS).join(", ");
  const more = keys.length > MAX_LISTED_KEYS ? `, and ${keys.length - MAX_LISTED_KEYS} more` : "";
  return `available in ${where}: ${shown}${more}`;
}
function describeKind(value) {
  switch (typeof value) {
    case "string":
      return "is text, which has no fields";
    case "number":
      return "is a number, which has no fields";
    case "boolean":
      return "is true or false, which has no fields";
    default:
      return value === null ? "is null, which has no fields" : "has no fields";
  }
}
function splitPath(path6) {
  return (path6.match(/[^.[\]]+/g) ?? []).map((segment) => segment.replace(/^(["'])(.*)\1$/, "$2"));
}
function isIndexable(value) {
  return typeof value === "object" && value !== null;
}

// src/template/render.ts
function renderTemplate(source, context, kind) {
  return renderWithFlavour(source, context, kind);
}
async function renderWithFlavour(source, context, flavour) {
  const engine = getEngine(flavour);
  try {
    const templates = engine.parse(source.text);
    const scope = new import_liquidjs3.Context({ ...context }, engine.options, {}, { liquid: engine });
    const emitter = new BoundedEmitter();
    await (0, import_liquidjs3.toPromise)(engine.renderer.renderTemplates(templates, scope, emitter));
    return finishOutput(flavour, emitter.buffer);
  } catch (error2) {
    throw toTemplateError(error2, source, context);
  }
}
var BoundedEmitter = class {
  buffer = "";
  write(html) {
    this.buffer += typeof html === "string" ? html : formatValue(html);
    if (this.buffer.length > TEMPLATE_LIMITS.outputLength) throw new Error(OUTPUT_LIMIT_MESSAGE);
  }
};

// node_modules/marked/lib/marked.esm.js
function G() {
  return { async: false, breaks: false, extensions: null, gfm: true, hooks: null, pedantic: false, renderer: null, silent: false, tokenizer: null, walkTokens: null };
}
var S = G();
function ue(l3) {
  S = l3;
}
var q = { exec: () => null };
function D(l3) {
  let e = [];
  return (t) => {
    let n = Math.max(0, Math.min(3, t - 1)), r = e[n];
    return r || (r = l3(n), e[n] = r), r;
  };
}
function g(l3, e = "") {
  let t = typeof l3 == "string" ? l3 : l3.source, n = { replace: (r, s) => {
    let o = typeof s == "string" ? s : s.source;
    return o = o.replace(O.caret, "$1"), t = t.replace(r, o), n;
  }, getRegex: () => new RegExp(t, e) };
  return n;
}
var _e = ((l3 = "") => {
  try {
    return !!new RegExp("(?<=1)(?<!1)" + l3);
  } catch {
    return false;
  }
})();
var O = { codeRemoveIndent: /^(?: {0,3}\t| {1,4})/gm, listInterruptsParagraph: /^ {0,3}(?:[*+-]|1[.)])[ \t]+[^ \t\n]/, outputLinkReplace: /\\([\[\]])/g, indentCodeCompensation: /^(\s+)(?:```)/, beginningSpace: /^\s+/, endingHash: /#$/, startingSpaceChar: /^ /, endingSpaceChar: / $/, endingSpaceTabChar: /[ \t]$/, nonSpaceChar: /[^ ]/, newLineCharGlobal: /\n/g, tabCharGlobal: /\t/g, leadingSpaceTab: /^[ \t]+/, multipleSpaceGlobal: /\s+/g, blankLine: /^[ \t]*$/, doubleBlankLine: /\n[ \t]*\n[ \t]*$/, blockquoteStart: /^ {0,3}>/, blockquoteSetextReplace: /\n {0,3}((?:=+|-+)[ \t]*)(?=\n|$)/g, blockquoteSetextReplace2: /^ {0,3}>[ \t]?/gm, blockquoteMarkerWhitespace: /^( {0,3}>)(\t[ \t]*)/gm, nestedBlockMarker: /^ {0,3}(?:(?:[*+-]|\d{1,9}[.)])(?: |$)|> ?)/, listReplaceNesting: /^ {1,4}(?=( {4})*[^ ])/g, listIsTask: /^\[[ xX]\][ \t]+\S/, listReplaceTask: /^\[[ xX]\][ \t]+/, listTaskCheckbox: /\[[ xX]\]/, anyLine: /\n.*\n/, hrefBrackets: /^<(.*)>$/, tableDelimiter: /[:|]/, tableAlignChars: /^\||\| *$/g, tableRowBlankLine: /\n[ \t]*$/, tableAlignRight: /^ *-+: *$/, tableAlignCenter: /^ *:-+: *$/, tableAlignLeft: /^ *:-+ *$/, startATag: /^<a /i, endATag: /^<\/a>/i, startPreScriptTag: /^<(pre|code|kbd|script)(\s|>)/i, endPreScriptTag: /^<\/(pre|code|kbd|script)(\s|>)/i, startAngleBracket: /^</, endAngleBracket: />$/, pedanticHrefTitle: /^([^'"]*[^\s])\s+(['"])(.*)\2/, unicodeAlphaNumeric: /[\p{L}\p{N}]/u, numericCharacterReference: /&#(?:(\d{1,7})|[Xx]([A-Fa-f0-9]{1,6}));/, numericCharacterReferenceOrAmpersand: /&#(?:(\d{1,7})|[Xx]([A-Fa-f0-9]{1,6}));|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g, escapeTest: /[&<>"']/, escapeReplace: /[&<>"']/g, escapeTestNoEncode: /[<>"']|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/, escapeReplaceNoEncode: /[<>"']|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g, caret: /(^|[^\[])\^/g, percentDecode: /%25/g, findPipe: /\|/g, splitPipe: / \|/, slashPipe: /\\\|/g, carriageReturn: /\r\n|\r/g, spaceLine: /^ +$/gm, notSpaceStart: /^\S*/, endingNewline: /\n$/, listItemRegex: (l3) => new RegExp(`^( {0,3}${l3})((?:[	 ][^\\n]*)?(?:\\n|$))`), nextBulletRegex: D((l3) => new RegExp(`^ {0,${l3}}(?:[*+-]|\\d{1,9}[.)])((?:[ 	][^\\n]*)?(?:\\n|$))`)), hrRegex: D((l3) => new RegExp(`^ {0,${l3}}((?:-[ 	]*){3,}|(?:_[ 	]*){3,}|(?:\\*[ 	]*){3,})(?:\\n+|$)`)), fencesBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}(?:\`\`\`|~~~)`)), headingBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}#{1,6}(?:\\s|$)`)), pedanticHeadingBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}#`)), htmlBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}(?:</?(?:${he})(?:[ \\t]+|$|/?>)|<(?:(?:script|pre|style|textarea)(?:[\\s>]|$)|!--)|<\\?|<![A-Za-z]|<!\\[CDATA\\[)`, "i")), blockquoteBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}>`)), nestedContainerMarkers: /^(?: {0,3}(?:(?:[*+-]|\d{1,9}[.)])[ \t]+|>[ \t]?))+/ };
var Ge = /^(?:[ \t]*(?:\n|$))+/;
var Ne = /^((?: {4}| {0,3}\t)[^\n]+(?:\n(?:[ \t]*(?:\n|$))*)?)+/;
var Fe = /^ {0,3}(`{3,}(?=[^`\n]*(?:\n|$))|~{3,})([^\n]*)(?:\n|$)(?:|([\s\S]*?)(?:\n|$))(?: {0,3}(?:(?=`)\1`*|(?=~)\1~*) *(?=\n|$)|$)/;
var V = /^ {0,3}((?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})(?:\n+|$)/;
var Qe = /^ {0,3}(#{1,6})(?=\s|$)(.*)(?:\n+|$)/;
var ce = / {0,3}(?:[*+-]|\d{1,9}[.)])/;
var he = "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|meta|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul";
var J = g(" {0,3}(?:</?(?:tag)(?:[ \\t]+|\\n|/?>)|<(?:(?:script|pre|style|textarea)(?:[\\s>]|$)|!--)|<\\?|<![A-Za-z]|<!\\[CDATA\\[)").replace("tag", he).getRegex();
var $e = /^(?!bull |blockCode|fences|blockquote|heading|html|table)((?:.|\n(?!\s*?\n|bull |fences|blockquote|heading|hr|html|table))+?)\n {0,3}(=+|-+)[ \t]*(?:\n+|$)/;
var Le = g($e).replace(/bull/g, ce).replace(/blockCode/g, /(?: {4}| {0,3}\t)/).replace(/fences/g, / {0,3}(?:`{3,}|~{3,})/).replace(/blockquote/g, / {0,3}>/).replace(/heading/g, / {0,3}#{1,6}(?:\s|$)/).replace(/hr/g, / {0,3}(?:(?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})(?:\n+|$)/).replace(/\|table/g, "").replace(/html/g, J).getRegex();
var We = g($e).replace(/bull/g, ce).replace(/blockCode/g, /(?: {4}| {0,3}\t)/).replace(/fences/g, / {0,3}(?:`{3,}|~{3,})/).replace(/blockquote/g, / {0,3}>/).replace(/heading/g, / {0,3}#{1,6}(?:\s|$)/).replace(/hr/g, / {0,3}(?:(?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})(?:\n+|$)/).replace(/table/g, / {0,3}\|?(?:[:\- ]*\|)+[\:\- ]*\n/).replace(/html/g, J).getRegex();
var de = /^([^\n]+(?:\n(?!hr|heading|lheading|blockquote|fences|list|html|table|[ \t]+\n)[^\n]+)*)/;
var Ue = /^[^\n]+/;
var ge = /(?!\s*\])(?:\\[\s\S]|[^\[\]\\\n]|\n(?![ \t]*\n))+/;
var Ke = g(/^ {0,3}\[(label)\]: *(?:\n[ \t]*)?([^<\s][^\s]*|<(?:\\.|[^\n<>\\])*>)(?:(?: +(?:\n[ \t]*)?| *\n[ \t]*)(title))? *(?:\n+|$)/).replace("label", ge).replace("title", /(?:"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\\n]|\n(?!\n))*'|\((?:\\[\s\S]|[^()\\])*\))/).getRegex();
var Xe = g(/^(bull)([ \t][^\n]*?)?(?:\n|$)/).replace(/bull/g, ce).getRegex();
var ke = /<!--(?:-?>|[\s\S]*?(?:-->|$))/;
var Ve = g("^ {0,3}(?:<(script|pre|style|textarea)[\\s>][\\s\\S]*?(?:</\\1>[^\\n]*\\n*|$)|comment[^\\n]*(\\n+|$)|<\\?[\\s\\S]*?(?:\\?>[^\\n]*\\n*|$)|<![A-Z][\\s\\S]*?(?:>[^\\n]*\\n*|$)|<!\\[CDATA\\[[\\s\\S]*?(?:\\]\\]>[^\\n]*\\n*|$)|</?(tag)(?:[ \\t]+|\\n|/?>|$)[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$)|<(?!(?:script|pre|style|textarea)(?![a-z0-9-]))([a-z][a-z0-9-]*)(?:attribute)*?[ \\t]*/?>(?=[ \\t]*(?:\\n|$))[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$)|</[a-z][a-z0-9-]*\\s*>(?=[ \\t]*(?:\\n|$))[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$))", "i").replace("comment", ke).replace("tag", he).replace("attribute", /[ \t]+[a-zA-Z:_][\w.:-]*(?:[ \t]*=[ \t]*"[^"\n]*"|[ \t]*=[ \t]*'[^'\n]*'|[ \t]*=[ \t]*[^\s"'=<>`]+)?/).getRegex();
var Ce = (l3) => g(de).replace("hr", V).replace("heading", " {0,3}#{1,6}(?:\\s|$)").replace("|lheading", "").replace("|table", "").replace("blockquote", " {0,3}>").replace("fences", " {0,3}(?:`{3,}(?=[^`\\n]*(?:\\n|$))|~~~)[^\\n]*(?:\\n|$)").replace("list", l3).replace("html", J).getRegex();
var Je = Ce(/ {0,3}(?:[*+-]|1[.)])[ \t]+[^ \t\n]/);
var Ye = Ce(/ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|\n|$)/);
var et = g(/^( {0,3}> ?(?:(?![ \t]*(?:\n|$))(paragraph)|[^\n]*)(?:\n|$))+/).replace("paragraph", Ye).getRegex();
var fe = { blockquote: et, code: Ne, def: Ke, fences: Fe, heading: Qe, hr: V, html: Ve, lheading: Le, list: Xe, newline: Ge, paragraph: Je, table: q, text: Ue };
var Pe = g("^ *([^\\n ].*)\\n {0,3}((?:\\| *)?:?-+:? *(?:\\| *:?-+:? *)*(?:\\| *)?)(?:\\n((?:(?! *\\n|hr|heading|blockquote|code|fences|list|html).*(?:\\n|$))*)\\n*|$)").replace("hr", V).replace("heading", " {0,3}#{1,6}(?:\\s|$)").replace("blockquote", " {0,3}>").replace("code", "(?: {4}| {0,3}	)[^\\n]").replace("fences", " {0,3}(?:`{3,}(?=[^`\\n]*(?:\\n|$))|~~~)[^\\n]*(?:\\n|$)").replace("list", " {0,3}(?:[*+-]|1[.)])[ \\t]").replace("html", J).getRegex();
var tt = { ...fe, lheading: We, table: Pe, paragraph: g(de).replace("hr", V).replace("heading", " {0,3}#{1,6}(?:\\s|$)").replace("|lheading", "").replace("table", Pe).replace("blockquote", " {0,3}>").replace("fences", " {0,3}(?:`{3,}(?=[^`\\n]*(?:\\n|$))|~~~)[^\\n]*(?:\\n|$)").replace("list", " {0,3}(?:[*+-]|1[.)])[ \\t]+[^ \\t\\n]").replace("html", J).getRegex() };
var nt = { ...fe, html: g(`^ *(?:comment(?: *\\n|\\s*$)|<(tag)[\\s\\S]+?</\\1>(?: *\\n{2,}|\\s*$)|<tag(?:"[^"]*"|'[^']*'|\\s[^'"/>\\s]*)*?/?>(?: *\\n{2,}|\\s*$))`).replace("comment", ke).replace(/tag/g, "(?!(?:a|em|strong|small|s|cite|q|dfn|abbr|data|time|code|var|samp|kbd|sub|sup|i|b|u|mark|ruby|rt|rp|bdi|bdo|span|br|wbr|ins|del|img)\\b)\\w+(?!:|[^\\w\\s@]*@)\\b").getRegex(), def: /^ *\[([^\]]+)\]: *<?([^\s>]+)>?(?: +(["(][^\n]+[")]))? *(?:\n+|$)/, heading: /^(#{1,6})(.*)(?:\n+|$)/, fences: q, lheading: /^(.+?)\n {0,3}(=+|-+) *(?:\n+|$)/, paragraph: g(de).replace("hr", V).replace("heading", ` *#{1,6} *[^
]`).replace("|table", "").replace("blockquote", " {0,3}>").replace("|fences", "").replace("|list", "").replace("|html", "").replace("|tag", "").replace("lheading", Le).getRegex() };
var rt = /^\\([!"#$%&'()*+,\-./:;<=>?@\[\]\\^_`{|}~])/;
var st = /^(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/;
var Ie = /^( {2,}|\\)\n(?!\s*$)[ \t]*/;
var it = /^(`+|[^`])(?:(?= {2,}\n)|[\s\S]*?(?:(?=[\\<!\[`*_]|\b_|$)|[^ ](?= {2,}\n)))/;
var L = /[\p{P}\p{S}]/u;
var N = /[\s\p{P}\p{S}]/u;
var Y = /[^\s\p{P}\p{S}]/u;
var ot = g(/^((?![*_])punctSpace)/, "u").replace(/punctSpace/g, N).getRegex();
var at = /[\p{Pi}\p{Ps}"']/u;
var Ae = /(?!~)[\p{P}\p{S}]/u;
var lt = /(?!~)[\s\p{P}\p{S}]/u;
var ut = /(?:[^\s\p{P}\p{S}]|~)/u;
var pt = g(/link|precode-code|html/, "g").replace("link", /\[(?:[^\[\]`]|(?<a>`+)[^`]+\k<a>(?!`))*?\]\((?:\\[\s\S]|[^\\\(\)]|\((?:\\[\s\S]|[^\\\(\)])*\))*\)/).replace("precode-", _e ? "(?<!`)()" : "(^^|[^`])").replace("code", /(?<b>`+)[^`]+\k<b>(?!`)/).replace("html", /<(?! )[^<>]*?>/).getRegex();
var Ee = /^(?:\*+(?:((?!\*)punct)|([^\s*]))?)|^_+(?:((?!_)punct)|([^\s_]))?/;
var ct = g(Ee, "u").replace(/punct/g, L).getRegex();
var ht = g(Ee, "u").replace(/punct/g, Ae).getRegex();
var dt = /^(?:\*+(?:((?!\*)(?!openQuote)punct)|([^\s*]))?)|^_+(?:((?!_)(?!openQuote)punct)|([^\s_]))?/;
var gt = g(dt, "u").replace(/openQuote/g, at).replace(/punct/g, L).getRegex();
var ze = "^[^_*]*?__[^_*]*?\\*[^_*]*?(?=__)|[^*]+(?=[^*])|(?!\\*)punct(\\*+)(?=[\\s]|$)|notPunctSpace(\\*+)(?!\\*)(?=punctSpace|$)|(?!\\*)punctSpace(\\*+)(?=notPunctSpace)|[\\s](\\*+)(?!\\*)(?=punct)|(?!\\*)punct(\\*+)(?!\\*)(?=punct)|notPunctSpace(\\*+)(?=notPunctSpace)";
var kt = g(ze, "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var ft = g(ze, "gu").replace(/notPunctSpace/g, ut).replace(/punctSpace/g, lt).replace(/punct/g, Ae).getRegex();
var mt = "^[^_*]*?__[^_*]*?\\*[^_*]*?(?=__)|[^*]+(?=[^*])|(?!\\*)punct(\\*+)(?=[\\s]|$)|notPunctSpace(\\*+)(?!\\*)(?=punctSpace|$)|(?!\\*)[\\s](\\*+)(?=notPunctSpace)|[\\s](\\*+)(?!\\*)(?=punct)|(?!\\*)punct(\\*+)(?!\\*)(?=punct)|(?:(?!\\*)punct|notPunctSpace)(\\*+)(?!\\*)(?=notPunctSpace)";
var xt = g(mt, "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var bt = g("^[^_*]*?\\*\\*[^_*]*?_[^_*]*?(?=\\*\\*)|[^_]+(?=[^_])|(?!_)punct(_+)(?=[\\s]|$)|notPunctSpace(_+)(?!_)(?=punctSpace|$)|(?!_)punctSpace(_+)(?=notPunctSpace)|[\\s](_+)(?!_)(?=punct)|(?!_)punct(_+)(?!_)(?=punct)", "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var Rt = "^[^_*]*?\\*\\*[^_*]*?_[^_*]*?(?=\\*\\*)|[^_]+(?=[^_])|(?!_)punct(_+)(?=[\\s]|$)|notPunctSpace(_+)(?!_)(?=punctSpace|$)|(?!_)[\\s](_+)(?=notPunctSpace)|[\\s](_+)(?!_)(?=punct)|(?!_)punct(_+)(?!_)(?=punct)|(?:(?!_)punct|notPunctSpace)(_+)(?!_)(?=notPunctSpace)";
var Tt = g(Rt, "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var Ot = g(/^~~?(?:((?!~)punct)|[^\s~])/, "u").replace(/punct/g, L).getRegex();
var wt = "^[^~]+(?=[^~])|(?!~)punct(~~?)(?=[\\s]|$)|notPunctSpace(~~?)(?!~)(?=punctSpace|$)|(?!~)punctSpace(~~?)(?=notPunctSpace)|[\\s](~~?)(?!~)(?=punct)|(?!~)punct(~~?)(?!~)(?=punct)|notPunctSpace(~~?)(?=notPunctSpace)";
var Pt = g(wt, "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var yt = g(/\\(punct)/, "gu").replace(/punct/g, L).getRegex();
var St = g(/(`+)(?:[^`]|[^`][\s\S]*?[^`])\1(?!`)|`+|\\(punct)/, "gu").replace(/punct/g, L).getRegex();
var _t = g(/^<(scheme:[^\s\x00-\x1f<>]*|email)>/).replace("scheme", /[a-zA-Z][a-zA-Z0-9+.-]{1,31}/).replace("email", /[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+(@)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+(?![-_])/).getRegex();
var $t = g(ke).replace("(?:-->|$)", "-->").getRegex();
var Lt = g("^comment|^</[a-zA-Z][a-zA-Z0-9-]*\\s*>|^<[a-zA-Z][a-zA-Z0-9-]*(?:attribute)*?\\s*/?>|^<\\?[\\s\\S]*?\\?>|^<![a-zA-Z]+\\s[\\s\\S]*?>|^<!\\[CDATA\\[[\\s\\S]*?\\]\\]>").replace("comment", $t).replace("attribute", /\s+[a-zA-Z:_][\w.:-]*(?:\s*=\s*"[^"]*"|\s*=\s*'[^']*'|\s*=\s*[^\s"'=<>`]+)?/).getRegex();
var Me = /\[(?:\\[\s\S]|[^\[\]\\])*\]/;
var ie = g(/(?:\[(?:brackets|\\[\s\S]|[^\[\]\\])*\]|\\[\s\S]|`+(?!`)[^`]*?`+(?!`)|``+(?=\])|[^\[\]\\`])*?/).replace("brackets", Me).getRegex();
var Ct = g(/^!?\[(label)\]\([ \t\n]*(href)(?:(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)(title))?[ \t\n]*\)/).replace("label", ie).replace("href", /<(?:\\.|[^\n<>\\])*>|(?!<)[^ \t\n\x00-\x1f]+|(?=\))/).replace("title", /"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\])*'|\((?:\\[\s\S]|[^)\\])*\)/).getRegex();
var It = g(/^!?\[(label)\]\[(ref)\]/).replace("label", ie).replace("ref", ge).getRegex();
var At = g(/^!?\[(ref)\](?:\[\])?/).replace("ref", ge).getRegex();
var ye = /(?!\s*\])(?:\\[\s\S]|[^\[\]\\]){1,999}/;
var Et = g(/(?:[^\[\]\\`]*(?:\[(?:brackets|\\[\s\S]|[^\[\]\\])*\]|\\[\s\S]|`+(?!`)[^`]*?`+(?!`)|``+(?=\]))){0,999}?[^\[\]\\`]*?/).replace("brackets", Me).getRegex();
var zt = g("reflink|nolink(?!\\()", "g").replace("reflink", g(/^!?\[(label)\]\[(ref)\]/).replace("label", Et).replace("ref", ye).getRegex()).replace("nolink", g(/^!?\[(ref)\](?:\[\])?/).replace("ref", ye).getRegex()).getRegex();
var Se = /[hH][tT][tT][pP][sS]?|[fF][tT][pP]/;
var Mt = /[A-Za-z0-9._+-]+@[a-zA-Z0-9-_]+(?:\.[a-zA-Z0-9-_]*[a-zA-Z0-9])+(?![\w-])/;
var Bt = g(/(?:mailto:email|xmpp:email(?:\/[A-Za-z0-9@.]+)?)/).replace(/email/g, Mt).getRegex();
var me = { _backpedal: q, anyPunctuation: yt, anyPunctuationOutsideCode: St, autolink: _t, blockSkip: pt, br: Ie, code: st, del: q, delLDelim: q, delRDelim: q, emStrongLDelim: ct, emStrongRDelimAst: kt, emStrongRDelimUnd: bt, escape: rt, link: Ct, nolink: At, punctuation: ot, reflink: It, reflinkSearch: zt, tag: Lt, text: it, url: q };
var Dt = { ...me, emStrongLDelim: gt, emStrongRDelimAst: xt, emStrongRDelimUnd: Tt, link: g(/^!?\[(label)\]\((.*?)\)/).replace("label", ie).getRegex(), reflink: g(/^!?\[(label)\]\s*\[([^\]]*)\]/).replace("label", ie).getRegex() };
var pe = { ...me, emStrongRDelimAst: ft, emStrongLDelim: ht, delLDelim: Ot, delRDelim: Pt, url: g(/^emailProtocol|^((?:protocol):\/\/|www\.)(?:[a-zA-Z0-9\-]+\.?)+[^\s<]*|^email/).replace("emailProtocol", Bt).replace("protocol", Se).replace("email", /[A-Za-z0-9._+-]+(@)[a-zA-Z0-9-_]+(?:\.[a-zA-Z0-9-_]*[a-zA-Z0-9])+(?![\w-])/).getRegex(), _backpedal: /(?:[^?!.,:;*_'"~()&]+|\([^)]*\)|&(?![a-zA-Z0-9]+;$)|[?!.,:;*_'"~)]+(?!$))+/, del: /^(~~?)(?=[^\s~])((?:\\[\s\S]|[^\\])*?(?:\\[\s\S]|[^\s~\\]))\1(?=[^~]|$)/, text: g(/^(?:[^a-zA-Z0-9](?=emailProtocol)|(`+|~+|[^`~])(?:(?=[`~])|(?= {2,}\n)|(?=[a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-]+@)|[\s\S]*?(?:(?=[\\<!\[`*~_]|\b_|protocol:\/\/|wwwStart|$)|[^ ](?= {2,}\n)|[^a-zA-Z0-9](?=emailProtocol)|[^a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-](?=[a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-]+@))))/).replace("protocol", Se).replace(/emailProtocol/g, /(?:mailto|xmpp):/).replace("wwwStart", _e ? "(?<![^\\s*_~(])www\\." : "www\\.").getRegex() };
var qt = { ...pe, br: g(Ie).replace("{2,}", "*").getRegex(), text: g(pe.text).replace("\\b_", "\\b_| {2,}\\n").replace(/\{2,\}/g, "*").getRegex() };
var ee = { normal: fe, gfm: tt, pedantic: nt };
var F = { normal: me, gfm: pe, breaks: qt, pedantic: Dt };
var vt = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
var Be = (l3) => vt[l3];
function y(l3, e) {
  if (e) {
    if (O.escapeTest.test(l3)) return l3.replace(O.escapeReplace, Be);
  } else if (O.escapeTestNoEncode.test(l3)) return l3.replace(O.escapeReplaceNoEncode, Be);
  return l3;
}
function De(l3) {
  return O.numericCharacterReference.test(l3) ? l3.replace(O.numericCharacterReferenceOrAmpersand, (e, t, n) => {
    if (t === void 0 && n === void 0) return "&amp;";
    let r = t === void 0 ? Number.parseInt(n, 16) : Number.parseInt(t, 10);
    return r === 0 || r > 1114111 || r >= 55296 && r <= 57343 ? "\uFFFD" : r === 38 ? "&amp;" : String.fromCodePoint(r);
  }) : l3;
}
function xe(l3) {
  try {
    l3 = encodeURI(l3).replace(O.percentDecode, "%");
  } catch {
    return null;
  }
  return l3;
}
function be(l3, e) {
  let t = l3.replace(O.findPipe, (s, o, i) => {
    let a = false, c = o;
    for (; --c >= 0 && i[c] === "\\"; ) a = !a;
    return a ? "|" : " |";
  }), n = t.split(O.splitPipe), r = 0;
  if (n[0].trim() || n.shift(), n.length > 0 && !n.at(-1)?.trim() && n.pop(), e) if (n.length > e) n.splice(e);
  else for (; n.length < e; ) n.push("");
  for (; r < n.length; r++) n[r] = n[r].trim().replace(O.slashPipe, "|");
  return n;
}
function C(l3, e, t) {
  let n = l3.length;
  if (n === 0) return "";
  let r = 0;
  for (; r < n; ) {
    let s = l3.charAt(n - r - 1);
    if (s === e && !t) r++;
    else if (s !== e && t) r++;
    else break;
  }
  return l3.slice(0, n - r);
}
function Re(l3) {
  let e = l3.split(`
`), t = e.length - 1;
  for (; t >= 0 && O.blankLine.test(e[t]); ) t--;
  return e.length - t <= 2 ? l3 : e.slice(0, t + 1).join(`
`);
}
function W(l3) {
  return l3.trim().replace(O.multipleSpaceGlobal, " ").toLowerCase().toUpperCase().toLowerCase();
}
function Te(l3, e) {
  if (l3.indexOf(e[0]) === -1 && l3.indexOf(e[1]) === -1) return -1;
  let t = 0;
  for (let n = 0; n < l3.length; n++) if (l3[n] === "\\") n++;
  else if (l3[n] === e[0]) t++;
  else if (l3[n] === e[1] && (t--, t < 0)) return n;
  return t > 0 ? -2 : -1;
}
var Q = /* @__PURE__ */ new WeakMap();
function Oe(l3) {
  let e = { "*": -1, _: -1 }, t = -1, n = l3.length;
  for (let r = 0; r < n; r++) {
    let s = l3[r];
    if (s !== "*" && s !== "_" && s !== "~") continue;
    let o = r === 0 ? `
` : l3[r - 1], i = r + 1;
    for (; i < n && l3[i] === s; ) i++;
    o !== " " && o !== "	" && o !== `
` && o !== "\r" && o !== "\f" && (s === "~" ? t = r : e[s] = r), r = i - 1;
  }
  return { maskedSrc: l3, lastPossibleEmStrongCloserIndex: e, lastPossibleDelCloserIndex: t };
}
function qe(l3, e) {
  let t = Oe(e), n = Q.get(l3);
  n ? n.push(t) : Q.set(l3, [t]);
}
function ve(l3) {
  let e = Q.get(l3);
  e && (e.pop(), e.length === 0 && Q.delete(l3));
}
function oe(l3, e, t) {
  let n = Q.get(l3)?.at(-1);
  return n && n.maskedSrc === e ? n.lastPossibleEmStrongCloserIndex[t] : Oe(e).lastPossibleEmStrongCloserIndex[t];
}
function ae(l3, e) {
  let t = Q.get(l3)?.at(-1);
  return t && t.maskedSrc === e ? t.lastPossibleDelCloserIndex : Oe(e).lastPossibleDelCloserIndex;
}
function te(l3, e = 0) {
  let t = e, n = "";
  for (let r of l3) if (r === "	") {
    let s = 4 - t % 4;
    n += " ".repeat(s), t += s;
  } else n += r, t++;
  return n;
}
function Ht(l3, e) {
  let t = "";
  for (let n = 0; n < l3.length; n++) {
    if (l3[n] === "`") {
      let r = e.inline.code.exec(l3.slice(n));
      if (r) {
        t += r[0], n += r[0].length - 1;
        continue;
      }
    }
    if (l3[n] === "\\" && (l3[n + 1] === "[" || l3[n + 1] === "]")) {
      t += l3[n + 1], n++;
      continue;
    }
    t += l3[n];
  }
  return t;
}
function He(l3, e, t, n, r) {
  let s = e.href, o = e.title || null, i = Ht(l3[1], r), a = l3[0].charAt(0) === "!", c = n.state.inLink, u = n.state.linkEmitted, d = n.state.inRawBlock;
  n.state.inLink = true, n.state.linkEmitted = false;
  let h = n.inlineTokens(i), p = n.state.linkEmitted;
  if (n.state.linkEmitted = u, n.state.inLink = c, !a) {
    if (p) {
      n.state.inRawBlock = d;
      return;
    }
    n.state.linkEmitted = true;
  }
  return { type: a ? "image" : "link", raw: t, href: s, title: o, text: i, tokens: h };
}
function Zt(l3, e, t) {
  let n = l3.match(t.other.indentCodeCompensation);
  if (n === null) return e;
  let r = n[1];
  return e.split(`
`).map((s) => {
    let o = s.match(t.other.beginningSpace);
    if (o === null) return s;
    let [i] = o;
    return s.slice(Math.min(i.length, r.length));
  }).join(`
`);
}
function Ze(l3, e, t, n) {
  if (!e.includes("<")) return false;
  for (let r = 0; r < e.length; r++) {
    if (e[r] === "\\") {
      r++;
      continue;
    }
    if (e[r] === "`") {
      let i = n.inline.code.exec(e.slice(r));
      if (i) {
        r += i[0].length - 1;
        continue;
      }
    }
    if (e[r] !== "<") continue;
    let s = l3.slice(t + r), o = n.inline.tag.exec(s) || n.inline.autolink.exec(s);
    if (o) {
      if (o[0].length > e.length - r) return true;
      r += o[0].length - 1;
    }
  }
  return false;
}
var _ = class {
  options;
  rules;
  lexer;
  constructor(e) {
    this.options = e || S;
  }
  space(e) {
    let t = this.rules.block.newline.exec(e);
    if (t && t[0].length > 0) return { type: "space", raw: t[0] };
  }
  code(e) {
    let t = this.rules.block.code.exec(e);
    if (t) {
      let n = this.options.pedantic ? t[0] : Re(t[0]), r = n.replace(this.rules.other.codeRemoveIndent, "");
      return { type: "code", raw: n, codeBlockStyle: "indented", text: r };
    }
  }
  fences(e) {
    let t = this.rules.block.fences.exec(e);
    if (t) {
      let n = t[0], r = Zt(n, t[3] || "", this.rules);
      return t[3] !== void 0 && (r === "" || r.endsWith(`
`)) && (r += `
`), { type: "code", raw: n, lang: t[2] ? t[2].trim().replace(this.rules.inline.anyPunctuation, "$1") : t[2], text: r };
    }
  }
  heading(e) {
    let t = this.rules.block.heading.exec(e);
    if (t) {
      let n = t[2].trim();
      if (this.rules.other.endingHash.test(n)) {
        let r = C(n, "#");
        (this.options.pedantic || !r || this.rules.other.endingSpaceTabChar.test(r)) && (n = r.trim());
      }
      return { type: "heading", raw: C(t[0], `
`), depth: t[1].length, text: n, tokens: this.lexer.inline(n) };
    }
  }
  hr(e) {
    let t = this.rules.block.hr.exec(e);
    if (t) return { type: "hr", raw: C(t[0], `
`) };
  }
  blockquote(e) {
    let t = this.rules.block.blockquote.exec(e);
    if (t) {
      let n = C(t[0], `
`).split(`
`), r = "", s = "", o = [];
      for (; n.length > 0; ) {
        let i = false, a = [], c;
        for (c = 0; c < n.length; c++) if (this.rules.other.blockquoteStart.test(n[c])) a.push(n[c]), i = true;
        else if (!i) a.push(n[c]);
        else break;
        n = n.slice(c);
        let u = a.join(`
`), d = u.replace(this.rules.other.blockquoteMarkerWhitespace, (k, m, b) => b.startsWith(" ") ? m + " " + b.slice(1) : m + te(b, m.length)).replace(this.rules.other.blockquoteSetextReplace, `
    $1`).replace(this.rules.other.blockquoteSetextReplace2, "");
        r = r ? `${r}
${u}` : u, s = s ? `${s}
${d}` : d;
        let h = this.lexer.state.top;
        if (this.lexer.state.top = true, this.lexer.blockTokens(d, o, true), this.lexer.state.top = h, n.length === 0) break;
        let p = o.at(-1);
        if (p?.type === "code" || p?.type === "heading" || p?.type === "hr" || p?.type === "html" || p?.type === "table") break;
        if (p?.type === "blockquote") {
          let k = p, m = n.join(`
`), b = k.raw + `
` + m.replace(this.rules.other.blockquoteSetextReplace2, ""), f = this.blockquote(b);
          o[o.length - 1] = f;
          let R = b.substring(f.raw.length).replace(/^\n/, ""), E = R ? R.split(`
`).length : 0, T = E ? n.slice(0, -E) : n;
          if (T.length > 0 && (r = `${r}
${T.join(`
`)}`), s = s.substring(0, s.length - k.text.length) + f.text, n = n.slice(T.length), n.length > 0 && this.rules.other.blockquoteStart.test(n[0])) continue;
          break;
        } else if (p?.type === "list") {
          let k = p, m = k.raw + `
` + n.join(`
`), b = this.list(m);
          o[o.length - 1] = b;
          let f = b.raw.length > k.raw.length ? m.slice(k.raw.length + 1, b.raw.length).split(`
`).length : 0;
          if (f > 0) {
            let R = n.slice(0, f).join(`
`);
            r = `${r}
${R}`, s = `${s}
${R}`;
          }
          if (n = n.slice(f), n.length > 0 && !this.rules.other.blockquoteStart.test(n[0])) break;
          continue;
        }
      }
      return { type: "blockquote", raw: r, tokens: o, text: s };
    }
  }
  list(e) {
    let t = this.rules.block.list.exec(e);
    if (t) {
      if (!this.options.pedantic && this.lexer.state.lastToken?.type === "text" && !this.rules.other.listInterruptsParagraph.test(e)) return;
      let n = e, r = () => n.length - e.length, s = t[1].trim(), o = s.length > 1, i = { type: "list", raw: "", ordered: o, start: o ? +s.slice(0, -1) : "", loose: false, items: [] };
      s = o ? `\\d{1,9}\\${s.slice(-1)}` : `\\${s}`, this.options.pedantic && (s = o ? s : "[*+-]");
      let a = this.rules.other.listItemRegex(s), c = false;
      for (; e; ) {
        let h = false, p = "";
        if (!(t = a.exec(e)) || this.rules.block.hr.test(e)) break;
        let k = r();
        e = e.substring(t[0].length);
        let m = t[2].split(`
`, 1)[0], b = t[1].length, f = this.options.pedantic ? te(m, b) : m.replace(this.rules.other.leadingSpaceTab, (H) => te(H, b)), R = e.split(`
`, 1)[0], E = !f.trim(), T = 0;
        if (this.options.pedantic ? (T = 2, p = f.trimStart()) : E ? T = b + 1 : (T = f.search(this.rules.other.nonSpaceChar), T = T > 4 ? 1 : T, p = f.slice(T), T += b), E && this.rules.other.blankLine.test(R) && (e = e.substring(R.length + 1), h = true), !h) {
          let H = this.rules.other.nextBulletRegex(T), K = this.rules.other.hrRegex(T), re = this.rules.other.fencesBeginRegex(T), B = this.options.pedantic ? this.rules.other.pedanticHeadingBeginRegex(T) : this.rules.other.headingBeginRegex(T), X = this.rules.other.htmlBeginRegex(T), se = this.rules.other.blockquoteBeginRegex(T), le = false;
          for (; e; ) {
            let we = e.split(`
`, 1)[0], Z;
            if (R = we, this.options.pedantic ? (R = R.replace(this.rules.other.listReplaceNesting, "  "), Z = R) : Z = R.replace(this.rules.other.leadingSpaceTab, ($) => te($)), re.test(R) || B.test(R) || X.test(R) || se.test(R) || H.test(R) || K.test(R)) break;
            if (Z.search(this.rules.other.nonSpaceChar) >= T || !R.trim()) p += `
` + Z.slice(T), le = false;
            else {
              if (E) break;
              let $ = f;
              if (!this.options.pedantic && !p.includes(`
`) && !f.includes("	")) {
                let j;
                for (; !K.test($) && (j = this.rules.other.nestedBlockMarker.exec($)); ) $ = $.slice(j[0].length);
                if (!$.trim()) break;
              }
              if ($.replace(this.rules.other.tabCharGlobal, "    ").search(this.rules.other.nonSpaceChar) >= 4 || re.test($) || B.test($) || X.test($) || K.test($)) break;
              if (!this.options.pedantic && !le) {
                let j = f.replace(this.rules.other.nestedContainerMarkers, "");
                if (this.rules.block.fences.test(j) || this.rules.block.heading.test(j) || this.rules.block.hr.test(j)) break;
              }
              let je = !this.options.pedantic && /^ {0,3}(?:=+|-+) *$/.test(R) && this.rules.block.lheading.test(`${f}
${R}`) ? `    ${Z.replace(/^ {0,3}/, "")}` : R;
              p += `
` + je, le = true;
            }
            E = !R.trim(), e = e.substring(we.length + 1), f = Z.slice(T);
          }
        }
        let U = n.slice(k, r());
        i.loose || (c ? i.loose = true : this.rules.other.doubleBlankLine.test(U) && (c = true)), i.items.push({ type: "list_item", raw: U, task: !!this.options.gfm && this.rules.other.listIsTask.test(p), loose: false, text: p, tokens: [] });
      }
      let u = i.items.at(-1);
      if (u) u.raw = u.raw.trimEnd(), u.text = u.text.trimEnd();
      else return;
      i.raw = n.slice(0, r()).trimEnd();
      let d = [];
      for (let h of i.items) if (this.lexer.state.top = false, d.push(this.lexer.inlineQueue.length), h.tokens = this.lexer.blockTokens(h.text, []), !i.loose) {
        let p = h.tokens.filter((m) => m.type === "space"), k = p.length > 0 && p.some((m) => this.rules.other.anyLine.test(m.raw));
        i.loose = k;
      }
      for (let h = 0; h < i.items.length; h++) {
        let p = i.items[h], k = p.tokens[0];
        if (p.task && (k?.type === "text" || k?.type === "paragraph")) {
          p.text = p.text.replace(this.rules.other.listReplaceTask, ""), k.raw = k.raw.replace(this.rules.other.listReplaceTask, ""), k.text = k.text.replace(this.rules.other.listReplaceTask, "");
          let m = this.lexer.inlineQueue;
          for (let f = d[h]; f < m.length; f++) if (m[f].tokens === k.tokens) {
            m[f].src = m[f].src.replace(this.rules.other.listReplaceTask, "");
            break;
          }
          let b = this.rules.other.listTaskCheckbox.exec(p.raw);
          if (b) {
            let f = { type: "checkbox", raw: b[0] + " ", checked: b[0] !== "[ ]" };
            p.checked = f.checked, i.loose ? p.tokens[0] && ["paragraph", "text"].includes(p.tokens[0].type) && "tokens" in p.tokens[0] && p.tokens[0].tokens ? (p.tokens[0].raw = f.raw + p.tokens[0].raw, p.tokens[0].text = f.raw + p.tokens[0].text, p.tokens[0].tokens.unshift(f)) : p.tokens.unshift({ type: "paragraph", raw: f.raw, text: f.raw, tokens: [f] }) : p.tokens.unshift(f);
          }
        } else p.task && (p.task = false);
      }
      if (i.loose) for (let h of i.items) {
        h.loose = true;
        for (let p of h.tokens) p.type === "text" && (p.type = "paragraph");
      }
      return i;
    }
  }
  html(e) {
    let t = this.rules.block.html.exec(e);
    if (t) {
      if (this.lexer.state.lastToken?.type === "paragraph" && !this.rules.other.htmlBeginRegex(4).test(e)) return;
      let n = Re(t[0]);
      return { type: "html", block: true, raw: n, pre: t[1] === "pre" || t[1] === "script" || t[1] === "style", text: n };
    }
  }
  def(e) {
    let t = this.rules.block.def.exec(e);
    if (t) {
      if (!this.rules.other.startAngleBracket.test(t[2]) && Te(t[2], "()") !== -1) return;
      let n = W(t[1]), r = t[2] ? t[2].replace(this.rules.other.hrefBrackets, "$1").replace(this.rules.inline.anyPunctuation, "$1") : "", s = t[3] ? t[3].substring(1, t[3].length - 1).replace(this.rules.inline.anyPunctuation, "$1") : t[3];
      return { type: "def", tag: n, raw: C(t[0], `
`), href: r, title: s };
    }
  }
  table(e) {
    let t = this.rules.block.table.exec(e);
    if (!t || !this.rules.other.tableDelimiter.test(t[2])) return;
    let n = be(t[1]), r = t[2].replace(this.rules.other.tableAlignChars, "").split("|"), s = t[3]?.trim() ? t[3].replace(this.rules.other.tableRowBlankLine, "").split(`
`) : [], o = { type: "table", raw: C(t[0], `
`), header: [], align: [], rows: [] };
    if (n.length === r.length) {
      for (let i of r) this.rules.other.tableAlignRight.test(i) ? o.align.push("right") : this.rules.other.tableAlignCenter.test(i) ? o.align.push("center") : this.rules.other.tableAlignLeft.test(i) ? o.align.push("left") : o.align.push(null);
      for (let i = 0; i < n.length; i++) o.header.push({ text: n[i], tokens: this.lexer.inline(n[i]), header: true, align: o.align[i] });
      for (let i of s) o.rows.push(be(i, o.header.length).map((a, c) => ({ text: a, tokens: this.lexer.inline(a), header: false, align: o.align[c] })));
      return o;
    }
  }
  lheading(e) {
    let t = this.rules.block.lheading.exec(e);
    if (t) {
      let n = t[1].trim();
      return { type: "heading", raw: C(t[0], `
`), depth: t[2].charAt(0) === "=" ? 1 : 2, text: n, tokens: this.lexer.inline(n) };
    }
  }
  paragraph(e) {
    let t = this.rules.block.paragraph.exec(e);
    if (t) {
      let n = t[1].charAt(t[1].length - 1) === `
` ? t[1].slice(0, -1) : t[1];
      return { type: "paragraph", raw: t[0], text: n, tokens: this.lexer.inline(n) };
    }
  }
  text(e) {
    let t = this.rules.block.text.exec(e);
    if (t) return { type: "text", raw: t[0], text: t[0], tokens: this.lexer.inline(t[0]) };
  }
  escape(e) {
    if (e.charCodeAt(0) !== 92) return;
    let t = this.rules.inline.escape.exec(e);
    if (t) return { type: "escape", raw: t[0], text: t[1] };
  }
  tag(e) {
    if (e.charCodeAt(0) !== 60) return;
    let t = this.rules.inline.tag.exec(e);
    if (t) return !this.lexer.state.inLink && this.rules.other.startATag.test(t[0]) ? this.lexer.state.inLink = true : this.lexer.state.inLink && this.rules.other.endATag.test(t[0]) && (this.lexer.state.inLink = false), !this.lexer.state.inRawBlock && this.rules.other.startPreScriptTag.test(t[0]) ? this.lexer.state.inRawBlock = true : this.lexer.state.inRawBlock && this.rules.other.endPreScriptTag.test(t[0]) && (this.lexer.state.inRawBlock = false), { type: "html", raw: t[0], inLink: this.lexer.state.inLink, inRawBlock: this.lexer.state.inRawBlock, block: false, text: t[0] };
  }
  link(e) {
    if (this.lexer.state.linkParenPossible === false) return;
    let t = e.charCodeAt(0);
    if (t !== 91 && t !== 33) return;
    let n = this.rules.inline.link.exec(e);
    if (n) {
      let r = n[0].charAt(0) === "!" ? 2 : 1;
      if (!this.options.pedantic && Ze(e, n[1], r, this.rules)) return;
      let s = n[2].trim();
      if (!this.options.pedantic && this.rules.other.startAngleBracket.test(s)) {
        if (!this.rules.other.endAngleBracket.test(s)) return;
        let c = C(s.slice(0, -1), "\\");
        if ((s.length - c.length) % 2 === 0) return;
      } else {
        let c = Te(n[2], "()");
        if (c === -2) return;
        if (c > -1) {
          let d = (n[0].indexOf("!") === 0 ? 5 : 4) + n[1].length + c;
          n[2] = n[2].substring(0, c), n[0] = n[0].substring(0, d).trim(), n[3] = "";
        }
      }
      let o = C(n[0].slice(0, -1), "\\");
      if ((n[0].length - o.length) % 2 === 0) return;
      let i = n[2], a = "";
      if (this.options.pedantic) {
        let c = this.rules.other.pedanticHrefTitle.exec(i);
        c && (i = c[1], a = c[3]);
      } else a = n[3] ? n[3].slice(1, -1) : "";
      return i = i.trim(), this.rules.other.startAngleBracket.test(i) && (this.options.pedantic && !this.rules.other.endAngleBracket.test(s) ? i = i.slice(1) : i = i.slice(1, -1)), He(n, { href: i && i.replace(this.rules.inline.anyPunctuation, "$1"), title: a && a.replace(this.rules.inline.anyPunctuation, "$1") }, n[0], this.lexer, this.rules);
    }
  }
  reflink(e, t) {
    let n = e.charCodeAt(0);
    if (n !== 91 && n !== 33) return;
    let r;
    if ((r = this.rules.inline.reflink.exec(e)) || (r = this.rules.inline.nolink.exec(e))) {
      let s = r[0].charAt(0) === "!" ? 2 : 1;
      if (!this.options.pedantic && Ze(e, r[1], s, this.rules)) return;
      let o = t[W(r[2] || r[1])];
      if (!o) {
        let i = r[0].charAt(0);
        return { type: "text", raw: i, text: i };
      }
      return He(r, o, r[0], this.lexer, this.rules);
    }
  }
  emStrong(e, t, n = "") {
    let r = this.rules.inline.emStrongLDelim.exec(e);
    if (!r || !r[1] && !r[2] && !r[3] && !r[4]) return;
    let s = r[0][0], o = n === s, i = t.length - e.length, a = i;
    for (; !this.options.pedantic && a > 0 && t[a - 1] === s; ) a--;
    let c = [...t.slice(Math.max(0, a - 2), a)].at(-1) ?? "", u = c === "*" || c === "_" || !!this.rules.inline.punctuation.exec(c);
    a < i && (n = c);
    let d = a < i ? u : n === "*" || n === "_" || !!this.rules.inline.punctuation.exec(n);
    if (r[4] && n.match(this.rules.other.unicodeAlphaNumeric)) return;
    let h = r[1] || r[3] || "";
    if (!h || !n || d) {
      let p = [...r[0]].length - 1, k, m, b = p, f = 0, R = i - a + p, E = !this.options.pedantic && !!c.trim() && (!!h || s === "*" && !u);
      if (s !== "*" && s !== "_") return;
      let T = s === "*" ? this.rules.inline.emStrongRDelimAst : this.rules.inline.emStrongRDelimUnd, U = oe(this, t, s), H = t.length - e.length + p;
      if (U < H) return;
      t = t.slice(-1 * e.length + p);
      let K = U - H;
      for (T.lastIndex = 0; (r = T.exec(t)) !== null && !(r.index > K); ) {
        if (k = r[1] || r[2] || r[3] || r[4] || r[5] || r[6], !k) continue;
        if (m = [...k].length, r[3] || r[4]) {
          b += m;
          continue;
        } else if ((r[5] || r[6] || E) && R % 3 && !((R + m) % 3)) {
          if (o && (r[5] || r[6])) break;
          f += m;
          continue;
        }
        if (b -= m, b > 0) continue;
        m = Math.min(m, m + b + f);
        let re = [...r[0]][0].length, B = e.slice(0, p + r.index + re + m);
        if (Math.min(p, m) % 2) {
          let se = B.slice(1, -1);
          return { type: "em", raw: B, text: se, tokens: this.lexer.inlineTokens(se) };
        }
        let X = B.slice(2, -2);
        return { type: "strong", raw: B, text: X, tokens: this.lexer.inlineTokens(X) };
      }
    }
  }
  codespan(e) {
    if (e.charCodeAt(0) !== 96) return;
    let t = this.rules.inline.code.exec(e);
    if (t) {
      let n = t[2].replace(this.rules.other.newLineCharGlobal, " "), r = this.rules.other.nonSpaceChar.test(n), s = this.rules.other.startingSpaceChar.test(n) && this.rules.other.endingSpaceChar.test(n);
      return r && s && (n = n.substring(1, n.length - 1)), { type: "codespan", raw: t[0], text: n };
    }
  }
  br(e) {
    let t = e.charCodeAt(0);
    if (t !== 32 && t !== 92 && t !== 10) return;
    let n = this.rules.inline.br.exec(e);
    if (n) return { type: "br", raw: n[0] };
  }
  del(e, t, n = "") {
    if (e.charCodeAt(0) !== 126) return;
    let r = this.rules.inline.delLDelim.exec(e);
    if (!r) return;
    if (!(r[1] || "") || !n || this.rules.inline.punctuation.exec(n)) {
      let o = [...r[0]].length - 1, i, a, c = o, u = this.rules.inline.delRDelim, d = ae(this, t), h = t.length - e.length + o;
      if (d < h) return;
      t = t.slice(-1 * e.length + o);
      let p = d - h;
      for (u.lastIndex = 0; (r = u.exec(t)) !== null && !(r.index > p); ) {
        if (i = r[1] || r[2] || r[3] || r[4] || r[5] || r[6], !i || (a = [...i].length, a !== o)) continue;
        if (r[3] || r[4]) {
          c += a;
          continue;
        }
        if (c -= a, c > 0) continue;
        a = Math.min(a, a + c);
        let k = [...r[0]][0].length, m = e.slice(0, o + r.index + k + a), b = m.slice(o, -o);
        return { type: "del", raw: m, text: b, tokens: this.lexer.inlineTokens(b) };
      }
    }
  }
  autolink(e) {
    if (e.charCodeAt(0) !== 60) return;
    let t = this.rules.inline.autolink.exec(e);
    if (t) {
      let n, r;
      return t[2] === "@" ? (n = t[1], r = "mailto:" + n) : (n = t[1], r = n), { type: "link", raw: t[0], text: n, href: r, autolink: true, tokens: [{ type: "text", raw: n, text: n }] };
    }
  }
  url(e) {
    let t;
    if (t = this.rules.inline.url.exec(e)) {
      let n, r;
      if (t[2] === "@") n = t[0], r = "mailto:" + n;
      else {
        let s;
        do
          s = t[0], t[0] = this.rules.inline._backpedal.exec(t[0])?.[0] ?? "";
        while (s !== t[0]);
        n = t[0], t[1] === "www." ? r = "http://" + t[0] : r = t[0];
      }
      return { type: "link", raw: t[0], text: n, href: r, autolink: true, tokens: [{ type: "text", raw: n, text: n }] };
    }
  }
  inlineText(e) {
    let t = this.rules.inline.text.exec(e);
    if (t) {
      let n = this.lexer.state.inRawBlock;
      return { type: "text", raw: t[0], text: n ? t[0] : De(t[0]), escaped: n };
    }
  }
};
var w = class l {
  tokens;
  options;
  state;
  inlineQueue;
  tokenizer;
  constructor(e) {
    this.tokens = [], this.tokens.links = /* @__PURE__ */ Object.create(null), this.options = e || S, this.options.tokenizer = this.options.tokenizer || new _(), this.tokenizer = this.options.tokenizer, this.tokenizer.options = this.options, this.tokenizer.lexer = this, this.inlineQueue = [], this.state = { inLink: false, inRawBlock: false, linkEmitted: false, linkParenPossible: true, top: true };
    let t = { other: O, block: ee.normal, inline: F.normal };
    this.options.pedantic ? (t.block = ee.pedantic, t.inline = F.pedantic) : this.options.gfm && (t.block = ee.gfm, this.options.breaks ? t.inline = F.breaks : t.inline = F.gfm), this.tokenizer.rules = t;
  }
  static get rules() {
    return { block: ee, inline: F };
  }
  static lex(e, t) {
    return new l(t).lex(e);
  }
  static lexInline(e, t) {
    return new l(t).inlineTokens(e);
  }
  lex(e) {
    e = e.replace(O.carriageReturn, `
`), this.blockTokens(e, this.tokens);
    for (let t = 0; t < this.inlineQueue.length; t++) {
      let n = this.inlineQueue[t];
      this.state.inRawBlock = false, this.inlineTokens(n.src, n.tokens);
    }
    return this.inlineQueue = [], this.tokens;
  }
  blockTokens(e, t = [], n = false) {
    this.tokenizer.lexer = this;
    let r = this.state.lastToken;
    this.options.pedantic && (e = e.replace(O.tabCharGlobal, "    ").replace(O.spaceLine, ""));
    let s = 1 / 0, o, i = this.options.gfm && !this.options.pedantic && this.tokenizer.paragraph === _.prototype.paragraph;
    for (; e; ) {
      if (e.length < s) s = e.length;
      else {
        this.infiniteLoopError(e.charCodeAt(0));
        break;
      }
      this.state.lastToken = t.at(-1);
      let a;
      if (this.options.extensions?.block?.some((u) => (a = u.call({ lexer: this }, e, t)) ? (e = e.substring(a.raw.length), t.push(a), true) : false)) continue;
      if (a = this.tokenizer.space(e)) {
        e = e.substring(a.raw.length);
        let u = t.at(-1);
        a.raw.length === 1 && u !== void 0 ? u.raw += `
` : t.push(a);
        continue;
      }
      if (a = this.tokenizer.code(e)) {
        e = e.substring(a.raw.length);
        let u = t.at(-1);
        u?.type === "paragraph" || u?.type === "text" ? (u.raw += (u.raw.endsWith(`
`) ? "" : `
`) + a.raw, u.text += `
` + a.text, this.inlineQueue.at(-1).src = u.text) : t.push(a);
        continue;
      }
      if (a = this.tokenizer.fences(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.heading(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.hr(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.blockquote(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.list(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.html(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.def(e)) {
        e = e.substring(a.raw.length);
        let u = t.at(-1);
        u?.type === "paragraph" || u?.type === "text" ? (u.raw += (u.raw.endsWith(`
`) ? "" : `
`) + a.raw, u.text += `
` + a.raw, this.inlineQueue.at(-1).src = u.text) : (this.tokens.links[a.tag] || (this.tokens.links[a.tag] = { href: a.href, title: a.title }), t.push(a));
        continue;
      }
      if (a = this.tokenizer.table(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.lheading(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      let c = e;
      if (this.options.extensions?.startBlock) {
        let u = 1 / 0, d = e.slice(1), h;
        this.options.extensions.startBlock.forEach((p) => {
          h = p.call({ lexer: this }, d), typeof h == "number" && h >= 0 && (u = Math.min(u, h));
        }), u < 1 / 0 && u >= 0 && (c = e.substring(0, u + 1));
      }
      if (this.state.top && (a = this.tokenizer.paragraph(c))) {
        let u = t.at(-1);
        (n || u === o && i) && u?.type === "paragraph" ? (u.raw += (u.raw.endsWith(`
`) ? "" : `
`) + a.raw, u.text += `
` + a.text, this.inlineQueue.pop(), this.inlineQueue.at(-1).src = u.text, o = u) : (t.push(a), o = a), n = c.length !== e.length, e = e.substring(a.raw.length);
        continue;
      }
      if (a = this.tokenizer.text(e)) {
        e = e.substring(a.raw.length);
        let u = t.at(-1);
        u?.type === "text" ? (u.raw += (u.raw.endsWith(`
`) ? "" : `
`) + a.raw, u.text += `
` + a.text, this.inlineQueue.pop(), this.inlineQueue.at(-1).src = u.text) : t.push(a);
        continue;
      }
      if (e) {
        this.infiniteLoopError(e.charCodeAt(0));
        break;
      }
    }
    return this.state.top = true, this.state.lastToken = r, t;
  }
  inline(e, t = []) {
    return this.inlineQueue.push({ src: e, tokens: t }), t;
  }
  linkInText(e) {
    if (!e.includes("[")) return false;
    let t = this.tokenizer.rules.inline.link;
    for (let n of e.matchAll(this.tokenizer.rules.inline.blockSkip)) if (t.test(n[0]) && e.charAt(n.index - 1) !== "!") return true;
    for (let n of e.matchAll(this.tokenizer.rules.inline.reflinkSearch)) {
      let r = n[0], s = r.lastIndexOf("[");
      if (!(r.charAt(0) === "!" || !Object.hasOwn(this.tokens.links, W(r.slice(s + 1, -1)))) && !(s > 1 && this.linkInText(r.slice(1, s - 1)))) return true;
    }
    return false;
  }
  inlineTokens(e, t = []) {
    this.tokenizer.lexer = this;
    let n = this.state.linkParenPossible;
    this.state.linkParenPossible = e.includes(")");
    try {
      return this.#t(e, t);
    } finally {
      this.state.linkParenPossible = n;
    }
  }
  #t(e, t) {
    let n = e.includes("*") || e.includes("_") || e.includes("~"), r = n || this.options.hooks?.emStrongMask || this.tokenizer.emStrong !== _.prototype.emStrong || this.tokenizer.del !== _.prototype.del ? this.#r(e) : e;
    if (!n) return this.#e(e, r, t);
    qe(this.tokenizer, r);
    try {
      return this.#e(e, r, t);
    } finally {
      ve(this.tokenizer);
    }
  }
  #e(e, t, n) {
    let r = false, s = "", o = 1 / 0;
    for (; e; ) {
      if (e.length < o) o = e.length;
      else {
        this.infiniteLoopError(e.charCodeAt(0));
        break;
      }
      r || (s = ""), r = false;
      let i;
      if (this.options.extensions?.inline?.some((u) => (i = u.call({ lexer: this }, e, n)) ? (e = e.substring(i.raw.length), n.push(i), true) : false)) continue;
      if (i = this.tokenizer.escape(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.tag(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.link(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.reflink(e, this.tokens.links)) {
        e = e.substring(i.raw.length);
        let u = n.at(-1);
        i.type === "text" && u?.type === "text" ? (u.raw += i.raw, u.text += i.text) : n.push(i);
        continue;
      }
      let a = e[0];
      if (a === "*" || a === "_") {
        let u = t.length - e.length;
        if (oe(this.tokenizer, t, a) <= u) {
          let h = 1;
          for (; h < e.length && e.charCodeAt(h) === a.charCodeAt(0); ) h++;
          let p = e.substring(0, h), k = n.at(-1);
          k?.type === "text" && !k.escaped ? (k.raw += p, k.text += p) : n.push({ type: "text", raw: p, text: p, escaped: false }), e = e.substring(h), s = a, r = true;
          continue;
        }
      } else if (a === "~") {
        let u = t.length - e.length;
        if (ae(this.tokenizer, t) <= u) {
          let h = 1;
          for (; h < e.length && e.charCodeAt(h) === 126; ) h++;
          let p = e.substring(0, h), k = n.at(-1);
          k?.type === "text" && !k.escaped ? (k.raw += p, k.text += p) : n.push({ type: "text", raw: p, text: p, escaped: false }), e = e.substring(h), s = a, r = true;
          continue;
        }
      }
      if (i = this.tokenizer.emStrong(e, t, s)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.codespan(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.br(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.del(e, t, s)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.autolink(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (!this.state.inLink && (i = this.tokenizer.url(e))) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      let c = e;
      if (this.options.extensions?.startInline) {
        let u = 1 / 0, d = e.slice(1), h;
        this.options.extensions.startInline.forEach((p) => {
          h = p.call({ lexer: this }, d), typeof h == "number" && h >= 0 && (u = Math.min(u, h));
        }), u < 1 / 0 && u >= 0 && (c = e.substring(0, u + 1));
      }
      if (i = this.tokenizer.inlineText(c)) {
        e = e.substring(i.raw.length), i.raw.slice(-1) !== "_" && (s = i.raw.slice(-1)), r = true;
        let u = n.at(-1);
        u?.type === "text" ? (u.raw += i.raw, u.text += i.text) : n.push(i);
        continue;
      }
      if (e) {
        this.infiniteLoopError(e.charCodeAt(0));
        break;
      }
    }
    return n;
  }
  #n(e) {
    let { blockSkip: t, tag: n, autolink: r } = this.tokenizer.rules.inline, s = "", o = 0, i;
    for (t.lastIndex = 0; i = t.exec(e); ) {
      let a = i.index + (i[2] ? i[2].length : 0), c = i.index + i[0].length;
      if (e.charAt(a) === "<") {
        let u = e.slice(a), d = n.exec(u) || r.exec(u);
        if (!d) {
          t.lastIndex = a + 1;
          continue;
        }
        c = a + d[0].length, t.lastIndex = c;
      }
      s += e.slice(o, a) + "[" + "a".repeat(c - a - 2) + "]", o = c;
    }
    return s + e.slice(o);
  }
  #r(e) {
    let t = e;
    if (this.tokens.links && e.includes("[")) {
      let n = this.tokenizer.rules.inline.reflinkSearch, r = (s) => {
        let o = s.lastIndexOf("[");
        if (!Object.hasOwn(this.tokens.links, W(s.slice(o + 1, -1)))) return s;
        if (o > 1 && s.charAt(0) !== "!") {
          let i = s.slice(1, o - 1);
          if (this.linkInText(i)) return "[" + i.replace(n, r) + "][" + "a".repeat(s.length - o - 2) + "]";
        }
        return "[" + "a".repeat(s.length - 2) + "]";
      };
      t = t.replace(n, r);
    }
    return t = t.replace(this.tokenizer.rules.inline.anyPunctuationOutsideCode, (n, r, s) => s ? "+".repeat(n.length) : r ? r + n.slice(r.length, -r.length).replace(/`/g, "+") + r : n), t = this.#n(t), t = this.options.hooks?.emStrongMask?.call({ lexer: this }, t) ?? t, t;
  }
  infiniteLoopError(e) {
    let t = "Infinite loop on byte: " + e;
    if (this.options.silent) console.error(t);
    else throw new Error(t);
  }
};
var I = class {
  options;
  parser;
  constructor(e) {
    this.options = e || S;
  }
  space(e) {
    return "";
  }
  code({ text: e, lang: t, escaped: n }) {
    let r = (t || "").match(O.notSpaceStart)?.[0], s = e ? e.replace(O.endingNewline, "") + `
` : "";
    return r ? '<pre><code class="language-' + y(r) + '">' + (n ? s : y(s, true)) + `</code></pre>
` : "<pre><code>" + (n ? s : y(s, true)) + `</code></pre>
`;
  }
  blockquote({ tokens: e }) {
    return `<blockquote>
${this.parser.parse(e)}</blockquote>
`;
  }
  html({ text: e }) {
    return e;
  }
  def(e) {
    return "";
  }
  heading({ tokens: e, depth: t }) {
    return `<h${t}>${this.parser.parseInline(e)}</h${t}>
`;
  }
  hr(e) {
    return `<hr>
`;
  }
  list(e) {
    let t = e.ordered, n = e.start, r = "";
    for (let i = 0; i < e.items.length; i++) {
      let a = e.items[i];
      r += this.listitem(a);
    }
    let s = t ? "ol" : "ul", o = t && n !== 1 ? ' start="' + n + '"' : "";
    return "<" + s + o + `>
` + r + "</" + s + `>
`;
  }
  listitem(e) {
    return `<li>${this.parser.parse(e.tokens)}</li>
`;
  }
  checkbox({ checked: e }) {
    return "<input " + (e ? 'checked="" ' : "") + 'disabled="" type="checkbox"> ';
  }
  paragraph({ tokens: e }) {
    return `<p>${this.parser.parseInline(e)}</p>
`;
  }
  table(e) {
    let t = "", n = "";
    for (let s = 0; s < e.header.length; s++) n += this.tablecell(e.header[s]);
    t += this.tablerow({ text: n });
    let r = "";
    for (let s = 0; s < e.rows.length; s++) {
      let o = e.rows[s];
      n = "";
      for (let i = 0; i < o.length; i++) n += this.tablecell(o[i]);
      r += this.tablerow({ text: n });
    }
    return r && (r = `<tbody>${r}</tbody>`), `<table>
<thead>
` + t + `</thead>
` + r + `</table>
`;
  }
  tablerow({ text: e }) {
    return `<tr>
${e}</tr>
`;
  }
  tablecell(e) {
    let t = this.parser.parseInline(e.tokens), n = e.header ? "th" : "td";
    return (e.align ? `<${n} align="${e.align}">` : `<${n}>`) + t + `</${n}>
`;
  }
  strong({ tokens: e }) {
    return `<strong>${this.parser.parseInline(e)}</strong>`;
  }
  em({ tokens: e }) {
    return `<em>${this.parser.parseInline(e)}</em>`;
  }
  codespan({ text: e }) {
    return `<code>${y(e, true)}</code>`;
  }
  br(e) {
    return "<br>";
  }
  del({ tokens: e }) {
    return `<del>${this.parser.parseInline(e)}</del>`;
  }
  link({ href: e, title: t, text: n, tokens: r, autolink: s }) {
    let o = s ? y(n, true) : this.parser.parseInline(r), i = xe(e);
    if (i === null) return o;
    e = y(i, s);
    let a = '<a href="' + e + '"';
    return t && (a += ' title="' + y(t) + '"'), a += ">" + o + "</a>", a;
  }
  image({ href: e, title: t, text: n, tokens: r }) {
    r && (n = this.parser.parseInline(r, this.parser.textRenderer));
    let s = xe(e);
    if (s === null) return y(n);
    e = s;
    let o = `<img src="${y(e)}" alt="${y(n)}"`;
    return t && (o += ` title="${y(t)}"`), o += ">", o;
  }
  text(e) {
    return "tokens" in e && e.tokens ? this.parser.parseInline(e.tokens) : "escaped" in e && e.escaped ? e.text : y(e.text);
  }
};
var z = class {
  parser;
  strong({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  em({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  codespan({ text: e }) {
    return e;
  }
  del({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  html({ text: e }) {
    return e;
  }
  text({ text: e }) {
    return e;
  }
  link({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  image({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  br() {
    return `
`;
  }
  checkbox({ raw: e }) {
    return e;
  }
};
var P = class l2 {
  options;
  renderer;
  textRenderer;
  constructor(e) {
    this.options = e || S, this.options.renderer = this.options.renderer || new I(), this.renderer = this.options.renderer, this.renderer.options = this.options, this.renderer.parser = this, this.textRenderer = new z(), this.textRenderer.parser = this;
  }
  static parse(e, t) {
    return new l2(t).parse(e);
  }
  static parseInline(e, t) {
    return new l2(t).parseInline(e);
  }
  parse(e) {
    this.renderer.parser = this;
    let t = "";
    for (let n = 0; n < e.length; n++) {
      let r = e[n];
      if (this.options.extensions?.renderers?.[r.type]) {
        let o = r, i = this.options.extensions.renderers[o.type].call({ parser: this }, o);
        if (i !== false || !["space", "hr", "heading", "code", "table", "blockquote", "list", "checkbox", "html", "def", "paragraph", "text"].includes(o.type)) {
          t += i === false ? "" : i ?? "";
          continue;
        }
      }
      let s = r;
      switch (s.type) {
        case "space": {
          t += this.renderer.space(s);
          break;
        }
        case "hr": {
          t += this.renderer.hr(s);
          break;
        }
        case "heading": {
          t += this.renderer.heading(s);
          break;
        }
        case "code": {
          t += this.renderer.code(s);
          break;
        }
        case "table": {
          t += this.renderer.table(s);
          break;
        }
        case "blockquote": {
          t += this.renderer.blockquote(s);
          break;
        }
        case "list": {
          t += this.renderer.list(s);
          break;
        }
        case "checkbox": {
          t += this.renderer.checkbox(s);
          break;
        }
        case "html": {
          t += this.renderer.html(s);
          break;
        }
        case "def": {
          t += this.renderer.def(s);
          break;
        }
        case "paragraph": {
          t += this.renderer.paragraph(s);
          break;
        }
        case "text": {
          t += this.renderer.text(s);
          break;
        }
        default: {
          let o = 'Token with "' + s.type + '" type was not found.';
          if (this.options.silent) return console.error(o), "";
          throw new Error(o);
        }
      }
    }
    return t;
  }
  parseInline(e, t = this.renderer) {
    this.renderer.parser = this;
    let n = "";
    for (let r = 0; r < e.length; r++) {
      let s = e[r];
      if (this.options.extensions?.renderers?.[s.type]) {
        let i = this.options.extensions.renderers[s.type].call({ parser: this }, s);
        if (i !== false || !["escape", "html", "link", "image", "checkbox", "strong", "em", "codespan", "br", "del", "text"].includes(s.type)) {
          n += i === false ? "" : i ?? "";
          continue;
        }
      }
      let o = s;
      switch (o.type) {
        case "escape": {
          n += t.text(o);
          break;
        }
        case "html": {
          n += t.html(o);
          break;
        }
        case "link": {
          n += t.link(o);
          break;
        }
        case "image": {
          n += t.image(o);
          break;
        }
        case "checkbox": {
          n += t.checkbox(o);
          break;
        }
        case "strong": {
          n += t.strong(o);
          break;
        }
        case "em": {
          n += t.em(o);
          break;
        }
        case "codespan": {
          n += t.codespan(o);
          break;
        }
        case "br": {
          n += t.br(o);
          break;
        }
        case "del": {
          n += t.del(o);
          break;
        }
        case "text": {
          n += t.text(o);
          break;
        }
        default: {
          let i = 'Token with "' + o.type + '" type was not found.';
          if (this.options.silent) return console.error(i), "";
          throw new Error(i);
        }
      }
    }
    return n;
  }
};
var A = class {
  options;
  block;
  constructor(e) {
    this.options = e || S;
  }
  static passThroughHooks = /* @__PURE__ */ new Set(["preprocess", "postprocess", "processAllTokens", "emStrongMask"]);
  static passThroughHooksRespectAsync = /* @__PURE__ */ new Set(["preprocess", "postprocess", "processAllTokens"]);
  preprocess(e) {
    return e;
  }
  postprocess(e) {
    return e;
  }
  processAllTokens(e) {
    return e;
  }
  emStrongMask(e) {
    return e;
  }
  provideLexer(e = this.block) {
    return e ? w.lex : w.lexInline;
  }
  provideParser(e = this.block) {
    return e ? P.parse : P.parseInline;
  }
};
function M(l3, e) {
  if (Array.isArray(e)) for (let t = 0; t < e.length; t++) l3.push(e[t]);
  else l3.push(e);
}
var ne = class {
  defaults = G();
  options = this.setOptions;
  parse = this.parseMarkdown(true);
  parseInline = this.parseMarkdown(false);
  Parser = P;
  Renderer = I;
  TextRenderer = z;
  Lexer = w;
  Tokenizer = _;
  Hooks = A;
  constructor(...e) {
    this.use(...e);
  }
  walkTokens(e, t) {
    let n = [];
    for (let r of e) switch (M(n, t.call(this, r)), r.type) {
      case "table": {
        let s = r;
        for (let o of s.header) M(n, this.walkTokens(o.tokens, t));
        for (let o of s.rows) for (let i of o) M(n, this.walkTokens(i.tokens, t));
        break;
      }
      case "list": {
        let s = r;
        M(n, this.walkTokens(s.items, t));
        break;
      }
      default: {
        let s = r;
        this.defaults.extensions?.childTokens?.[s.type] ? this.defaults.extensions.childTokens[s.type].forEach((o) => {
          let i = s[o].flat(1 / 0);
          M(n, this.walkTokens(i, t));
        }) : s.tokens && M(n, this.walkTokens(s.tokens, t));
      }
    }
    return n;
  }
  use(...e) {
    let t = this.defaults.extensions || { renderers: /* @__PURE__ */ Object.create(null), childTokens: /* @__PURE__ */ Object.create(null) };
    return e.forEach((n) => {
      let r = { ...n };
      if (r.async = this.defaults.async || r.async || false, n.extensions && (n.extensions.forEach((s) => {
        if (!s.name) throw new Error("extension name required");
        if ("renderer" in s) {
          let o = t.renderers[s.name];
          o ? t.renderers[s.name] = function(...i) {
            let a = s.renderer.apply(this, i);
            return a === false && (a = o.apply(this, i)), a;
          } : t.renderers[s.name] = s.renderer;
        }
        if ("tokenizer" in s) {
          if (!s.level || s.level !== "block" && s.level !== "inline") throw new Error("extension level must be 'block' or 'inline'");
          let o = t[s.level];
          o ? o.unshift(s.tokenizer) : t[s.level] = [s.tokenizer], s.start && (s.level === "block" ? t.startBlock ? t.startBlock.push(s.start) : t.startBlock = [s.start] : s.level === "inline" && (t.startInline ? t.startInline.push(s.start) : t.startInline = [s.start]));
        }
        "childTokens" in s && s.childTokens && (t.childTokens[s.name] = s.childTokens);
      }), r.extensions = t), n.renderer) {
        let s = this.defaults.renderer || new I(this.defaults);
        for (let o in n.renderer) {
          if (!(o in s)) throw new Error(`renderer '${o}' does not exist`);
          if (["options", "parser"].includes(o)) continue;
          let i = o, a = n.renderer[i], c = s[i];
          s[i] = (...u) => {
            let d = a.apply(s, u);
            return d === false && (d = c.apply(s, u)), d === false ? "" : d ?? "";
          };
        }
        r.renderer = s;
      }
      if (n.tokenizer) {
        let s = this.defaults.tokenizer || new _(this.defaults);
        for (let o in n.tokenizer) {
          if (!(o in s)) throw new Error(`tokenizer '${o}' does not exist`);
          if (["options", "rules", "lexer"].includes(o)) continue;
          let i = o, a = n.tokenizer[i], c = s[i];
          s[i] = (...u) => {
            let d = a.apply(s, u);
            return d === false && (d = c.apply(s, u)), d;
          };
        }
        r.tokenizer = s;
      }
      if (n.hooks) {
        let s = this.defaults.hooks || new A();
        for (let o in n.hooks) {
          if (!(o in s)) throw new Error(`hook '${o}' does not exist`);
          if (["options", "block"].includes(o)) continue;
          let i = o, a = n.hooks[i], c = s[i];
          A.passThroughHooks.has(o) ? s[i] = (u) => {
            if (s.options.async && A.passThroughHooksRespectAsync.has(o)) return (async () => {
              let h = await a.call(s, u);
              return c.call(s, h);
            })();
            let d = a.call(s, u);
            return c.call(s, d);
          } : s[i] = (...u) => {
            if (s.options.async) return (async () => {
              let h = await a.apply(s, u);
              return h === false && (h = await c.apply(s, u)), h;
            })();
            let d = a.apply(s, u);
            return d === false && (d = c.apply(s, u)), d;
          };
        }
        r.hooks = s;
      }
      if (n.walkTokens) {
        let s = this.defaults.walkTokens, o = n.walkTokens;
        r.walkTokens = function(i) {
          let a = [];
          return M(a, o.call(this, i)), s && M(a, s.call(this, i)), a;
        };
      }
      this.defaults = { ...this.defaults, ...r };
    }), this;
  }
  setOptions(e) {
    return this.defaults = { ...this.defaults, ...e }, this;
  }
  lexer(e, t) {
    return w.lex(e, t ?? this.defaults);
  }
  parser(e, t) {
    return P.parse(e, t ?? this.defaults);
  }
  parseMarkdown(e) {
    return (n, r) => {
      let s = { ...r }, o = { ...this.defaults, ...s }, i = this.onError(!!o.silent, !!o.async);
      if (this.defaults.async === true && s.async === false) return i(new Error("marked(): The async option was set to true by an extension. Remove async: false from the parse options object to return a Promise."));
      if (typeof n > "u" || n === null) return i(new Error("marked(): input parameter is undefined or null"));
      if (typeof n != "string") return i(new Error("marked(): input parameter is of type " + Object.prototype.toString.call(n) + ", string expected"));
      if (o.hooks && (o.hooks.options = o, o.hooks.block = e), o.async) return (async () => {
        let a = o.hooks ? await o.hooks.preprocess(n) : n, u = await (o.hooks ? await o.hooks.provideLexer(e) : e ? w.lex : w.lexInline)(a, o), d = o.hooks ? await o.hooks.processAllTokens(u) : u;
        o.walkTokens && await Promise.all(this.walkTokens(d, o.walkTokens));
        let p = await (o.hooks ? await o.hooks.provideParser(e) : e ? P.parse : P.parseInline)(d, o);
        return o.hooks ? await o.hooks.postprocess(p) : p;
      })().catch(i);
      try {
        o.hooks && (n = o.hooks.preprocess(n));
        let c = (o.hooks ? o.hooks.provideLexer(e) : e ? w.lex : w.lexInline)(n, o);
        o.hooks && (c = o.hooks.processAllTokens(c)), o.walkTokens && this.walkTokens(c, o.walkTokens);
        let d = (o.hooks ? o.hooks.provideParser(e) : e ? P.parse : P.parseInline)(c, o);
        return o.hooks && (d = o.hooks.postprocess(d)), d;
      } catch (a) {
        return i(a);
      }
    };
  }
  onError(e, t) {
    return (n) => {
      if (n.message += `
Please report this to https://github.com/markedjs/marked.`, e) {
        let r = "<p>An error occurred:</p><pre>" + y(n.message + "", true) + "</pre>";
        return t ? Promise.resolve(r) : r;
      }
      if (t) return Promise.reject(n);
      throw n;
    };
  }
};
var v = new ne();
function x(l3, e) {
  return v.parse(l3, e);
}
x.options = x.setOptions = function(l3) {
  return v.setOptions(l3), x.defaults = v.defaults, ue(x.defaults), x;
};
x.getDefaults = G;
x.defaults = S;
function jt(...l3) {
  return v.use(...l3), x.defaults = v.defaults, ue(x.defaults), x;
}
x.use = jt;
x.walkTokens = function(l3, e) {
  return v.walkTokens(l3, e);
};
x.parseInline = v.parseInline;
x.Parser = P;
x.parser = P.parse;
x.Renderer = I;
x.TextRenderer = z;
x.Lexer = w;
x.lexer = w.lex;
x.Tokenizer = _;
x.Hooks = A;
x.parse = x;
var En = x.options;
var zn = x.setOptions;
var Mn = x.walkTokens;
var Bn = x.parseInline;
var qn = P.parse;
var vn = w.lex;

// src/template/html-document.ts
var FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif";
var MONO = "ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
var BORDER = "1px solid #d0d7de";
var ELEMENT_STYLES = {
  table: "border-collapse:collapse;margin:12px 0",
  th: `border:${BORDER};padding:6px 12px;background:#f6f8fa;font-weight:600`,
  td: `border:${BORDER};padding:6px 12px`,
  pre: `background:#f6f8fa;padding:12px;border-radius:6px;overflow:auto;font-family:${MONO};font-size:13px`,
  code: `font-family:${MONO};font-size:90%;background:#f6f8fa;border-radius:4px;padding:1px 4px`,
  blockquote: `margin:12px 0;padding:0 12px;border-left:4px solid #d0d7de;color:#59636e`,
  a: "color:#0969da",
  hr: "border:0;border-top:1px solid #d0d7de;margin:16px 0",
  img: "max-width:100%"
};
var ATTRIBUTE = String.raw`\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>\x60]+))?`;
var OPENING_TAG = new RegExp(
  `<(${Object.keys(ELEMENT_STYLES).join("|")})((?:${ATTRIBUTE})*)\\s*(/?)>`,
  "gi"
);
function addInlineStyles(html) {
  return html.replace(OPENING_TAG, (tag, name, attributes, slash) => {
    const lower = name.toLowerCase();
    if (/\sstyle\s*=/i.test(attributes)) return tag;
    let style = ELEMENT_STYLES[lower] ?? "";
    if ((lower === "th" || lower === "td") && !/\salign\s*=/i.test(attributes)) {
      style += ";text-align:left";
    }
    return `<${name}${attributes} style="${style}"${slash === "" ? "" : " /"}>`;
  });
}
function wrapHtmlDocument(body) {
  return [
    "<!DOCTYPE html>",
    "<html>",
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    "</head>",
    '<body style="margin:0;padding:0;background:#ffffff">',
    `<div style="max-width:760px;margin:0 auto;padding:16px;font-family:${FONT};font-size:14px;line-height:1.5;color:#1f2328">`,
    addInlineStyles(body).trim(),
    "</div>",
    "</body>",
    "</html>",
    ""
  ].join("\n");
}

// src/template/markdown.ts
var markdown = new ne({
  gfm: true,
  breaks: true,
  // A value's punctuation arrives as references (see escapeMarkdown), and marked leaves them in
  // a destination as written: decode ours, so `{{ github.run_url }}` gives a plain href.
  walkTokens(token) {
    if (token.type === "link" || token.type === "image") {
      const link = token;
      link.href = link.href.replace(
        ESCAPED_REFERENCE,
        (_match, hex) => String.fromCharCode(parseInt(hex, 16))
      );
    }
  },
  renderer: {
    // A link or image whose URL is not http(s), mailto, tel, cid or #anchor renders as its text:
    // a `javascript:` or `data:` URL has no use in mail, and a value printed into a link's
    // destination (`[pr]({{ value }})`) must not be able to make one. Relative URLs have no
    // base in a mail message and are not links either. marked leaves character references in
    // an href for the browser to decode (a value's punctuation arrives as references), so the
    // check reads the URL as the browser will: `java&#9;script&colon;` is `javascript:`.
    link(token) {
      return isSafeUrl(token.href, { relative: false }) ? false : this.parser.parseInline(token.tokens);
    },
    image(token) {
      return isSafeUrl(token.href, { relative: false }) ? false : escapeHtml(token.text);
    }
  }
});
async function renderMarkdown(source, context) {
  const text2 = await renderWithFlavour(source, context, "text");
  const escaped = await renderWithFlavour(source, context, "markdown");
  const body = restoreCodeText(markdown.parse(escaped, { async: false }));
  return { text: text2, html: dropUnsafeUrls(wrapHtmlDocument(body)) };
}
var CODE_ELEMENT = /(<code(?:\s[^>]*)?>)([^<]*)(<\/code>)/g;
function restoreCodeText(html) {
  return html.replace(
    CODE_ELEMENT,
    (_2, open3, code, close) => `${open3}${code.replace(ESCAPED_REFERENCE_IN_CODE, "&$1;")}${close}`
  );
}

// src/template/vars.ts
var import_yaml = __toESM(require_dist(), 1);
var VARS_LIMITS = {
  /** Characters of YAML. */
  length: 65536,
  /** Levels of nested mappings and lists below the top mapping. */
  depth: 8,
  /** Values (strings, numbers, ...) in all. */
  values: 1e3,
  /** YAML aliases (`*name`): each can copy a whole subtree, the "billion laughs" attack. */
  aliases: 100
};
var SHAPE_ADVICE = "expected a mapping like `key: value` (one per line) or a JSON object";
async function renderVars(raw, context) {
  if (raw.trim() === "") return {};
  if (raw.length > VARS_LIMITS.length) {
    throw new TemplateError(
      "vars",
      `is ${raw.length} characters long, more than ${VARS_LIMITS.length} (keep long text in a body-file template instead)`
    );
  }
  const parsed = parseVars(raw);
  if (!isMapping(parsed)) throw new TemplateError("vars", SHAPE_ADVICE);
  const walk = new VarsWalk({ ...context, vars: {} });
  return await walk.render(parsed, "vars", 0);
}
function parseVars(raw) {
  const options = { uniqueKeys: true, maxAliasCount: VARS_LIMITS.aliases };
  const document = (0, import_yaml.parseDocument)(raw, { ...options, schema: "core", resolveKnownTags: false });
  const [error2] = document.errors;
  if (error2 !== void 0) throw toVarsError(error2);
  try {
    return document.toJS(options);
  } catch (error3) {
    const problem = "expands YAML aliases (*name) into too many values";
    throw new TemplateError("vars", `${problem}; write the values out`, void 0, {
      cause: error3
    });
  }
}
function toVarsError(error2) {
  const problem = error2.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
  const position = error2.linePos?.[0];
  return new TemplateError(
    "vars",
    `is not valid YAML: ${problem}; ${SHAPE_ADVICE}`,
    position === void 0 ? void 0 : { line: position.line, column: position.col },
    { cause: error2 }
  );
}
var VarsWalk = class {
  #values = 0;
  #context;
  constructor(context) {
    this.#context = context;
  }
  async render(value, path6, depth) {
    if (Array.isArray(value) || isMapping(value)) {
      if (depth > VARS_LIMITS.depth) {
        throw new TemplateError(path6, `nests deeper than ${VARS_LIMITS.depth} levels`);
      }
      return this.#renderContainer(value, path6, depth);
    }
    this.#values += 1;
    if (this.#values > VARS_LIMITS.values) {
      throw new TemplateError("vars", `holds more than ${VARS_LIMITS.values} values`);
    }
    if (typeof value === "string") {
      return renderWithFlavour({ name: path6, text: value }, this.#context, "text");
    }
    if (value === null || ["number", "boolean"].includes(typeof value)) return value;
    throw new TemplateError(path6, "holds a value that is not text, a number, true/false or null");
  }
  async #renderContainer(value, path6, depth) {
    if (Array.isArray(value)) {
      const items = [];
      for (const [index, item] of value.entries()) {
        items.push(await this.render(item, `${path6}[${index}]`, depth + 1));
      }
      return items;
    }
    const entries = [];
    for (const [key, item] of Object.entries(value)) {
      entries.push([key, await this.render(item, `${path6}.${key}`, depth + 1)]);
    }
    return Object.fromEntries(entries);
  }
};
function isMapping(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// src/template/run-status.ts
var RUN_STATUS_LIQUID = `{%- assign status_key = status | downcase | strip -%}
{%- case status_key -%}
  {%- when 'success' -%}
    {%- assign status_word = 'passed' -%}{%- assign status_emoji = '\u2705' -%}
    {%- assign status_colour = '#1a7f37' -%}
  {%- when 'failure' -%}
    {%- assign status_word = 'failed' -%}{%- assign status_emoji = '\u274C' -%}
    {%- assign status_colour = '#cf222e' -%}
  {%- when 'cancelled' -%}
    {%- assign status_word = 'cancelled' -%}{%- assign status_emoji = '\u23F9\uFE0F' -%}
    {%- assign status_colour = '#6e7781' -%}
  {%- else -%}
    {%- assign status_word = 'finished' -%}{%- assign status_emoji = '\u26AA' -%}
    {%- assign status_colour = '#0969da' -%}
{%- endcase -%}
{%- assign pull_number = event.pull_request.number | of_type: 'text' -%}
{%- assign pull_title = event.pull_request.title | of_type: 'text' -%}
{%- if pull_number == blank and event.issue.pull_request != blank -%}
  {%- comment -%} issue_comment on a pull request: GitHub sends it as an issue. {%- endcomment -%}
  {%- assign pull_number = event.issue.number | of_type: 'text' -%}
  {%- assign pull_title = event.issue.title | of_type: 'text' -%}
{%- endif -%}
{%- if pull_number == blank -%}{%- assign pull_title = '' -%}{%- endif -%}
{%- assign run_where = '' -%}
{%- if pull_number != blank -%}
  {%- assign run_where = 'PR #' | append: pull_number -%}
{%- elsif github.ref_name != blank -%}
  {%- assign run_where = github.ref_name -%}
{%- endif -%}
{%- if github.workflow != blank -%}
  {%- assign workflow_name = github.workflow -%}
{%- else -%}
  {%- assign workflow_name = 'Workflow' -%}
{%- endif -%}
{%- assign run_title = workflow_name | append: ' ' | append: status_word -%}
{%- if run_where != blank -%}
  {%- assign run_title = run_title | append: ' on ' | append: run_where -%}
{%- endif -%}
`;

// src/template/run-report-html.ts
var FONT2 = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;";
var MONO2 = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;";
var TABLE = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';
var LABEL3 = `style="${FONT2}padding:6px 12px 6px 0;width:110px;font-size:13px;line-height:20px;color:#57606a;vertical-align:top;"`;
var VALUE_STYLE = `${FONT2}padding:6px 0;font-size:14px;line-height:20px;color:#1f2328;vertical-align:top;word-break:break-word;`;
var VALUE = `style="${VALUE_STYLE}"`;
var LINK = 'style="color:#0969da;text-decoration:underline;"';
var CODE = `style="${MONO2}font-size:13px;"`;
var MUTED = 'style="color:#57606a;"';
var HEAD = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>{{ status_emoji }} {{ run_title }}</title>
</head>
<body style="margin:0;padding:0;background-color:#f6f8fa;">
<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">
{%- if github.repository != blank %}{{ github.repository }}: {% endif %}{{ run_title }}
{%- if github.actor != blank %} ({{ github.actor }}){% endif -%}
</div>
<table ${TABLE} width="100%" style="background-color:#f6f8fa;">
<tr><td align="center" style="padding:24px 12px;">
<!--[if mso]><table ${TABLE} width="600" align="center"><tr><td><![endif]-->
<table ${TABLE} width="100%" style="max-width:600px;background-color:#ffffff;border:1px solid #d0d7de;border-radius:6px;">
<tr><td bgcolor="{{ status_colour }}" height="6" style="background-color:{{ status_colour }};height:6px;font-size:0;line-height:0;border-radius:6px 6px 0 0;">&nbsp;</td></tr>
<tr><td style="padding:24px 24px 8px 24px;">
<table ${TABLE}><tr><td bgcolor="{{ status_colour }}" style="${FONT2}background-color:{{ status_colour }};border-radius:12px;padding:3px 10px;font-size:12px;line-height:16px;font-weight:600;color:#ffffff;text-transform:uppercase;letter-spacing:0.5px;">{{ status_word }}</td></tr></table>
<h1 style="${FONT2}margin:12px 0 0 0;font-size:20px;line-height:28px;font-weight:600;color:#1f2328;">{{ run_title }}</h1>
{%- if github.repository != blank %}
<p style="${FONT2}margin:4px 0 0 0;font-size:14px;line-height:20px;color:#57606a;">{{ github.repository }}
{%- if github.run_number != blank %} &middot; run #{{ github.run_number }}{% endif %}</p>
{%- endif %}
</td></tr>`;
var FACTS = `
<tr><td style="padding:8px 24px;">
<table ${TABLE} width="100%">
{%- if github.repository != blank %}
<tr><td ${LABEL3}>Repository</td><td ${VALUE}><a href="{{ github.server_url }}/{{ github.repository }}" ${LINK}>{{ github.repository }}</a></td></tr>
{%- endif %}
{%- if github.workflow != blank %}
<tr><td ${LABEL3}>Workflow</td><td ${VALUE}>{{ github.workflow }}
{%- if github.run_number != blank %}, run #{{ github.run_number }}{% endif %}
{%- if github.run_attempt != blank and github.run_attempt != '1' %} (attempt {{ github.run_attempt }}){% endif %}</td></tr>
{%- endif %}
{%- if github.job != blank %}
<tr><td ${LABEL3}>Job</td><td ${VALUE}>{{ github.job }}</td></tr>
{%- endif %}
{%- if github.head_ref != blank %}
<tr><td ${LABEL3}>Branch</td><td ${VALUE}><span ${CODE}>{{ github.head_ref }}</span>
{%- if github.base_ref != blank %} &rarr; <span ${CODE}>{{ github.base_ref }}</span>{% endif %}</td></tr>
{%- elsif github.ref_name != blank %}
<tr><td ${LABEL3}>{% if github.ref_type == 'tag' %}Tag{% else %}Branch{% endif %}</td><td ${VALUE}><span ${CODE}>{{ github.ref_name }}</span></td></tr>
{%- endif %}
{%- if github.short_sha != blank %}
<tr><td ${LABEL3}>Commit</td><td ${VALUE}>
{%- if github.commit_url != blank %}<a href="{{ github.commit_url }}" ${LINK}><span ${CODE}>{{ github.short_sha }}</span></a>
{%- else %}<span ${CODE}>{{ github.short_sha }}</span>{% endif %}</td></tr>
{%- endif %}
{%- if github.actor != blank %}
<tr><td ${LABEL3}>Actor</td><td ${VALUE}>{{ github.actor }}
{%- if github.triggering_actor != blank and github.triggering_actor != github.actor %} <span ${MUTED}>(run by {{ github.triggering_actor }})</span>{% endif %}</td></tr>
{%- endif %}
{%- if github.event_name != blank %}
<tr><td ${LABEL3}>Event</td><td ${VALUE}>{{ github.event_name }}</td></tr>
{%- endif %}
{%- if pull_number != blank %}
<tr><td ${LABEL3}>Pull request</td><td ${VALUE}>
{%- if github.pull_request_url != blank %}<a href="{{ github.pull_request_url }}" ${LINK}>#{{ pull_number }}</a>
{%- else %}#{{ pull_number }}{% endif %}
{%- if pull_title != blank %} {{ pull_title }}{% endif %}</td></tr>
{%- endif %}
{%- assign release_tag = event.release.tag_name | of_type: 'text' %}
{%- if release_tag != blank %}
{%- assign release_title = event.release.name | of_type: 'text' | default: release_tag %}
{%- assign release_url = event.release.html_url | web_url %}
<tr><td ${LABEL3}>Release</td><td ${VALUE}>
{%- if release_url != blank %}<a href="{{ release_url }}" ${LINK}>{{ release_title }}</a>
{%- else %}{{ release_title }}{% endif %}
{%- unless release_title contains release_tag %} <span ${MUTED}>({{ release_tag }})</span>{% endunless %}</td></tr>
{%- endif %}
</table>
</td></tr>`;
var SECTION_HEADING = `style="${FONT2}margin:0 0 8px 0;font-size:16px;line-height:24px;font-weight:600;color:#1f2328;"`;
var ROW_TOP = "border-top:1px solid #eaeef2;";
var INPUTS = `
{%- assign inputs = event.inputs | entries %}
{%- if inputs.size > 0 %}
<tr><td style="padding:16px 24px 0 24px;">
<h2 ${SECTION_HEADING}>Inputs ({{ inputs.size }})</h2>
<table ${TABLE} width="100%">
{%- for input in inputs limit: 20 %}
<tr><td style="${MONO2}padding:6px 12px 6px 0;width:110px;font-size:13px;line-height:20px;color:#57606a;vertical-align:top;word-break:break-word;${ROW_TOP}">{{ input[0] | truncatechars: 60 }}</td>
<td style="${VALUE_STYLE}${ROW_TOP}">{{ input[1] | of_type: 'text' | truncatechars: 200 }}</td></tr>
{%- endfor %}
{%- assign more_inputs = inputs.size | minus: 20 %}
{%- if more_inputs > 0 %}
<tr><td colspan="2" ${VALUE}><span ${MUTED}>and {{ more_inputs }} more</span></td></tr>
{%- endif %}
</table>
</td></tr>
{%- endif %}`;
var COMMITS = `
{%- assign commits = event.commits | of_type: 'list' %}
{%- if commits.size > 0 %}
<tr><td style="padding:16px 24px 0 24px;">
<h2 ${SECTION_HEADING}>Commits ({{ commits.size }})
{%- if github.compare_url != blank %} <a href="{{ github.compare_url }}" style="${FONT2}font-size:13px;font-weight:400;color:#0969da;text-decoration:underline;">compare</a>{% endif %}</h2>
<table ${TABLE} width="100%">
{%- for commit in commits limit: 20 %}
{%- assign commit_id = commit.id | of_type: 'text' | slice: 0, 7 %}
{%- assign commit_url = commit.url | web_url %}
{%- assign commit_summary = commit.message | of_type: 'text' | strip | split: "\\n" | first | strip %}
{%- assign commit_author = commit.author.name | of_type: 'text' %}
<tr><td style="padding:6px 12px 6px 0;width:70px;vertical-align:top;${ROW_TOP}">
{%- if commit_id != blank %}
{%- if commit_url != blank %}<a href="{{ commit_url }}" ${LINK}><span ${CODE}>{{ commit_id }}</span></a>
{%- else %}<span ${CODE}>{{ commit_id }}</span>{% endif %}
{%- endif %}</td>
<td style="${VALUE_STYLE}${ROW_TOP}">{{ commit_summary }}
{%- if commit_author != blank %} <span ${MUTED}>&mdash; {{ commit_author }}</span>{% endif %}</td></tr>
{%- endfor %}
{%- assign more_commits = commits.size | minus: 20 %}
{%- if more_commits > 0 %}
<tr><td colspan="2" ${VALUE}><span ${MUTED}>and {{ more_commits }} more</span></td></tr>
{%- endif %}
</table>
</td></tr>
{%- endif %}`;
var BUTTON = `
{%- if github.run_url != blank %}
<tr><td style="padding:24px;">
<table ${TABLE}><tr>
<td align="center" bgcolor="{{ status_colour }}" style="background-color:{{ status_colour }};border-radius:6px;mso-padding-alt:12px 22px;">
<a href="{{ github.run_url }}" target="_blank" style="${FONT2}display:inline-block;padding:12px 22px;font-size:15px;line-height:20px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">View the run &rarr;</a>
</td></tr></table>
</td></tr>
{%- endif %}`;
var FOOT = `
</table>
<!--[if mso]></td></tr></table><![endif]-->
<p style="${FONT2}margin:16px 0 0 0;font-size:12px;line-height:18px;color:#57606a;">Sent by smtp-notify from a GitHub Actions workflow.</p>
</td></tr>
</table>
</body>
</html>
`;
var RUN_REPORT_HTML_TEMPLATE = RUN_STATUS_LIQUID + HEAD + FACTS + INPUTS + COMMITS + BUTTON + FOOT;

// src/template/run-report-text.ts
var BODY = `{{ status_emoji }} {{ run_title }}
{%- if github.repository != blank %}
{{ github.repository }}{% if github.run_number != blank %}, run #{{ github.run_number }}{% endif %}
{%- endif %}
{% comment %} The facts, one labelled line each. {% endcomment %}
{%- if github.repository != blank %}
Repository:   {{ github.repository }} <{{ github.server_url }}/{{ github.repository }}>
{%- endif %}
{%- if github.workflow != blank %}
Workflow:     {{ github.workflow }}
{%- if github.run_number != blank %}, run #{{ github.run_number }}{% endif %}
{%- if github.run_attempt != blank and github.run_attempt != '1' %} (attempt {{ github.run_attempt }}){% endif %}
{%- endif %}
{%- if github.job != blank %}
Job:          {{ github.job }}
{%- endif %}
{%- if github.head_ref != blank %}
Branch:       {{ github.head_ref }}{% if github.base_ref != blank %} -> {{ github.base_ref }}{% endif %}
{%- elsif github.ref_name != blank %}
{% if github.ref_type == 'tag' %}Tag:          {% else %}Branch:       {% endif %}{{ github.ref_name }}
{%- endif %}
{%- if github.short_sha != blank %}
Commit:       {{ github.short_sha }}{% if github.commit_url != blank %} <{{ github.commit_url }}>{% endif %}
{%- endif %}
{%- if github.actor != blank %}
Actor:        {{ github.actor }}
{%- if github.triggering_actor != blank and github.triggering_actor != github.actor %} (run by {{ github.triggering_actor }}){% endif %}
{%- endif %}
{%- if github.event_name != blank %}
Event:        {{ github.event_name }}
{%- endif %}
{%- if pull_number != blank %}
Pull request: #{{ pull_number }}
{%- if pull_title != blank %} {{ pull_title | replace: "\\r", "" | replace: "\\n", " " }}{% endif %}
{%- if github.pull_request_url != blank %}
              <{{ github.pull_request_url }}>
{%- endif %}
{%- endif %}
{%- assign release_tag = event.release.tag_name | of_type: 'text' %}
{%- if release_tag != blank %}
{%- assign release_title = event.release.name | of_type: 'text' | default: release_tag %}
{%- assign release_url = event.release.html_url | web_url %}
Release:      {{ release_title | replace: "\\r", "" | replace: "\\n", " " }}
{%- unless release_title contains release_tag %} ({{ release_tag | replace: "\\r", "" | replace: "\\n", " " }}){% endunless %}
{%- if release_url != blank %}
              <{{ release_url }}>
{%- endif %}
{%- endif %}
`;
var INPUTS2 = `
{%- assign inputs = event.inputs | entries %}
{%- if inputs.size > 0 %}

Inputs ({{ inputs.size }})
{%- for input in inputs limit: 20 %}
{%- assign input_value = input[1] | of_type: 'text' | replace: "\\r", "" | replace: "\\n", " " | truncatechars: 200 %}
- {{ input[0] | replace: "\\r", "" | replace: "\\n", " " | truncatechars: 60 }}{% if input_value != blank %}: {{ input_value }}{% endif %}
{%- endfor %}
{%- assign more_inputs = inputs.size | minus: 20 %}
{%- if more_inputs > 0 %}
- and {{ more_inputs }} more
{%- endif %}
{%- endif %}
`;
var COMMITS2 = `
{%- assign commits = event.commits | of_type: 'list' %}
{%- if commits.size > 0 %}

Commits ({{ commits.size }}){% if github.compare_url != blank %} <{{ github.compare_url }}>{% endif %}
{%- for commit in commits limit: 20 %}
{%- assign commit_url = commit.url | web_url %}
{%- assign commit_line = commit.id | of_type: 'text' | slice: 0, 7 | append: ' ' %}
{%- assign commit_summary = commit.message | of_type: 'text' | strip | split: "\\n" | first | strip %}
{%- assign commit_line = commit_line | append: commit_summary | strip %}
{%- assign commit_author = commit.author.name | of_type: 'text' | replace: "\\r", "" | replace: "\\n", " " %}
{%- if commit_author != blank %}{% assign commit_line = commit_line | append: ' (' | append: commit_author | append: ')' | strip %}{% endif %}
{%- if commit_line != blank or commit_url != blank %}
-{% if commit_line != blank %} {{ commit_line }}{% endif %}
{%- if commit_url != blank %}
  <{{ commit_url }}>
{%- endif %}
{%- endif %}
{%- endfor %}
{%- assign more_commits = commits.size | minus: 20 %}
{%- if more_commits > 0 %}
- and {{ more_commits }} more
{%- endif %}
{%- endif %}
`;
var LINK2 = `{%- if github.run_url != blank %}

View the run: <{{ github.run_url }}>
{%- endif %}
`;
var RUN_REPORT_TEXT_TEMPLATE = RUN_STATUS_LIQUID + BODY + INPUTS2 + COMMITS2 + LINK2;

// src/template/run-report.ts
var DEFAULT_SUBJECT_TEMPLATE = `${RUN_STATUS_LIQUID}{{ status_emoji }}
{% if github.repository != blank %}{{ github.repository }}:{% endif %}
{{ run_title }}
{%- if pull_title != blank %} "{{ pull_title }}"{% endif %}
{% if github.run_number != blank %}(#{{ github.run_number }}){% endif %}`;
async function renderRunReport(ctx) {
  const [text2, html] = await Promise.all([
    renderTemplate({ name: "run report (text)", text: RUN_REPORT_TEXT_TEMPLATE }, ctx, "text"),
    renderTemplate({ name: "run report (html)", text: RUN_REPORT_HTML_TEMPLATE }, ctx, "html")
  ]);
  return { text: text2, html };
}
function renderDefaultSubject(ctx) {
  return renderTemplate({ name: "default subject", text: DEFAULT_SUBJECT_TEMPLATE }, ctx, "header");
}

// src/action/backoff.ts
var defaultBackoff = Object.freeze({
  baseMs: 2e3,
  factor: 2,
  capMs: 3e4
});
function computeBackoff(retry, random, policy = defaultBackoff) {
  const exponent = Math.max(0, retry - 1);
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** exponent);
  const fraction = Math.min(Math.max(random(), 0), 1);
  return Math.round(fraction * ceiling);
}
function sleep(ms, signal) {
  return new Promise((resolve5) => {
    if (signal?.aborted === true) {
      resolve5();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve5();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener("abort", done, { once: true });
  });
}
function formatSeconds(ms) {
  return `${Math.round(ms / 100) / 10} s`;
}

// src/action/literal-replacement.ts
function replaceLiterals(text2, literals, mark) {
  const wanted = [...new Set(literals)].filter((literal) => literal !== "");
  if (wanted.length === 0) return text2;
  wanted.sort((a, b) => b.length - a.length);
  const pattern = wanted.map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return text2.replace(new RegExp(pattern.join("|"), "gi"), () => mark);
}

// src/action/server-source.ts
var URL_HOST_LABEL = "(connection-url)";
function describeEndpoint(server, source) {
  if (source === "connection-url") return `${URL_HOST_LABEL}:${server.port}`;
  return server.host.includes(":") ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}
function hideUrlHost(text2, server, source) {
  if (source !== "connection-url" || server === void 0 || server.host === "") return text2;
  return replaceLiterals(text2, [`[${server.host}]`, server.host], URL_HOST_LABEL);
}
function hideUrlHostInTranscript(entries, server, source) {
  return entries.map((entry) => ({ ...entry, text: hideUrlHost(entry.text, server, source) }));
}

// src/action/summary.ts
var headings = {
  sent: "\u2705 Email sent",
  partial: "\u26A0\uFE0F Email sent, with rejected recipients",
  failed: "\u274C Email not sent",
  unknown: "\u2753 Email may not have been delivered",
  "dry-run": "\u{1F9EA} Dry run: email composed, not sent",
  verified: "\u{1F50C} SMTP connection verified"
};
function escapeHtml2(text2) {
  return escapeHtml(text2).replace(/\r\n|[\r\n\u2028\u2029]/g, "<br>");
}
async function writeSummary(summary2) {
  if ((process.env.GITHUB_STEP_SUMMARY ?? "") === "") return;
  summary.addHeading(escapeHtml2(headings[summary2.result]), 2);
  summary.addTable(
    buildRows(summary2).map(([name, value]) => [{ data: escapeHtml2(name), header: true }, value])
  );
  if (summary2.failure !== void 0 && summary2.failure !== "") {
    const failure = hidePrivate(summary2.failure, summary2);
    summary.addRaw(`<pre>${escapeHtml2(failure)}</pre>`, true);
  }
  await summary.write();
}
var bccMark = "[Bcc recipient]";
function hidePrivate(text2, summary2) {
  const source = summary2.serverSource ?? "inputs";
  return hideUrlHost(hideBccAddresses(text2, summary2.bcc ?? []), summary2.server, source);
}
function hideBccAddresses(text2, bcc) {
  return replaceLiterals(text2, bcc.map(normalizeAddress), bccMark);
}
function buildRows(summary2) {
  const bcc = new Set((summary2.bcc ?? []).map(normalizeAddress));
  const response = summary2.response && formatReply(summary2.response);
  const hide = (value) => hidePrivate(value, summary2);
  const source = summary2.serverSource ?? "inputs";
  const rows = [
    text("Subject", summary2.subject),
    text("From", summary2.from),
    summary2.recipients && ["Recipients", listAddresses(summary2.recipients, bcc)],
    summary2.accepted && ["Accepted", listRecipients(summary2.accepted, bcc, false, hide)],
    summary2.rejected?.length ? ["Rejected", listRecipients(summary2.rejected, bcc, true, hide)] : void 0,
    text("Server response", response && hide(response)),
    text("Server", summary2.server && describeEndpoint(summary2.server, source)),
    text("TLS", summary2.tls && `${summary2.tls.protocol}, ${summary2.tls.cipher}`),
    text("AUTH mechanism", summary2.authMechanism),
    text("Attempts", summary2.attempts?.toString()),
    text(
      "Duration",
      summary2.durationMs === void 0 ? void 0 : formatSeconds(summary2.durationMs)
    ),
    text("Message-ID", summary2.messageId),
    text(".eml file", summary2.emlPath)
  ];
  return rows.filter((row) => row !== void 0);
}
function text(name, value) {
  return value === void 0 || value === "" ? void 0 : [name, escapeHtml2(value)];
}
function normalizeAddress(address) {
  return address.trim().toLowerCase();
}
function bccCount(count) {
  return `${count} Bcc ${count === 1 ? "recipient" : "recipients"}`;
}
function listAddresses(addresses, bcc) {
  const shown = addresses.filter((address) => !bcc.has(normalizeAddress(address)));
  const hidden = addresses.length - shown.length;
  const items = shown.map(escapeHtml2);
  if (hidden > 0) items.push(escapeHtml2(bccCount(hidden)));
  return items.length > 0 ? items.join("<br>") : "none";
}
function listRecipients(recipients, bcc, withReplies, hide) {
  const shown = recipients.filter(({ address }) => !bcc.has(normalizeAddress(address)));
  const hidden = recipients.length - shown.length;
  const items = shown.map(
    ({ address, reply }) => escapeHtml2(withReplies ? `${address}: ${hide(formatReply(reply))}` : address)
  );
  if (hidden > 0) items.push(escapeHtml2(bccCount(hidden)));
  return items.length > 0 ? items.join("<br>") : "none";
}

// src/action/dry-run.ts
var MAX_PRINTED_LINES = 400;
var LINE_PREFIX = "eml| ";
async function runDryRunMode(settings, prepared, env = process.env) {
  const { composed } = prepared;
  const emlPath = await writeDryRun(composed, env);
  writeOutputs({ messageId: composed.messageId, result: "dry-run", emlPath });
  await writeSummary({
    result: "dry-run",
    subject: prepared.parts.subject,
    from: settings.message.from,
    recipients: composed.envelope.to,
    bcc: listBccAddresses(settings.message.bcc),
    messageId: composed.messageId,
    emlPath
  });
}
async function writeDryRun(message, env = process.env) {
  const folder = env.RUNNER_TEMP !== void 0 && env.RUNNER_TEMP !== "" ? env.RUNNER_TEMP : tmpdir();
  const path6 = join(folder, `smtp-notify-${stampOf(message.messageId)}.eml`);
  await writeFile2(path6, message.bytes);
  printMessage(message, path6);
  return path6;
}
function stampOf(messageId) {
  const left = messageId.replace(/^</, "").split("@")[0] ?? "";
  const safe = left.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 64);
  return safe === "" ? String(Date.now()) : safe;
}
function printMessage(message, path6) {
  const lines = Buffer.from(message.bytes).toString("utf8").split("\r\n");
  if (lines.at(-1) === "") lines.pop();
  info(`Dry run: nothing was sent. The message (${message.size} bytes) is in ${path6}:`);
  printUntrusted(lines.slice(0, MAX_PRINTED_LINES), LINE_PREFIX);
  if (lines.length > MAX_PRINTED_LINES) {
    info(`(${lines.length - MAX_PRINTED_LINES} more lines in ${path6})`);
  }
  const { from, to } = message.envelope;
  info(`Envelope: from ${escapeUntrustedInline(`${from} to ${to.join(", ")}`)}`);
}

// src/action/advice-terms.ts
var inputTlsPairs = `\`${Inputs.port}: ${Ports.implicit}\` with \`${Inputs.tls}: implicit\`, or \`${Inputs.port}: ${Ports.submission}\` with \`${Inputs.tls}: starttls\``;
var inputTerms = {
  host: `\`${Inputs.server}\``,
  hostAndPort: `\`${Inputs.server}\` and \`${Inputs.port}\``,
  port: `the \`${Inputs.port}\``,
  tlsPairs: inputTlsPairs,
  implicitTls: `\`${Inputs.port}: ${Ports.implicit}\` with \`${Inputs.tls}: implicit\``,
  agreeOnTls: (server) => {
    const current = server === void 0 ? "" : ` (now port ${server.port}, tls ${server.tls})`;
    return `Set the \`${Inputs.port}\` and \`${Inputs.tls}\` inputs to agree${current}: ${inputTlsPairs}. \`${Inputs.tls}: auto\` picks implicit TLS on ${Ports.implicit} and STARTTLS elsewhere.`;
  },
  plainText: `Use \`${Inputs.tls}: none\` only for a relay on a network you trust: everything, credentials included, would cross it readable.`,
  useTls: `use ${inputTlsPairs} (or \`${Inputs.tls}: auto\`), not \`${Inputs.tls}: none\``,
  credentials: `\`${Inputs.username}\` and \`${Inputs.password}\` (or \`${Inputs.connectionUrl}\`)`,
  authenticate: `authenticate (\`${Inputs.username}\`, \`${Inputs.password}\`)`,
  appPassword: `\`${Inputs.password}\` (from a secret), with the full address as \`${Inputs.username}\``,
  mailboxCredentials: `\`${Inputs.username}\` (the full mailbox address) and \`${Inputs.password}\``
};
var url = `\`${Inputs.connectionUrl}\``;
var urlTlsPairs = `\`smtps://user:password@host:${Ports.implicit}\` (implicit TLS), or \`smtp://user:password@host:${Ports.submission}\` (STARTTLS)`;
var urlTerms = {
  host: `the host in ${url}`,
  hostAndPort: `the host and port in ${url}`,
  port: `the port in ${url}`,
  tlsPairs: urlTlsPairs,
  implicitTls: `\`smtps://user:password@host:${Ports.implicit}\` in ${url}`,
  agreeOnTls: (server) => {
    const scheme = server?.tls === "implicit" ? "smtps://" : "smtp://";
    const current = server === void 0 ? "" : ` (now port ${server.port}, ${scheme})`;
    return `Make the scheme and the port of ${url} agree${current}: ${urlTlsPairs}.`;
  },
  plainText: `${url} always uses TLS; for a relay on a network you trust, use the separate inputs with \`${Inputs.tls}: none\` instead (everything, credentials included, would cross it readable).`,
  useTls: `use ${urlTlsPairs}`,
  credentials: `the user name and password in ${url} (percent-encoded)`,
  authenticate: `authenticate (a user name and password in ${url})`,
  appPassword: `the password in ${url} (percent-encoded), with the full address as its user name`,
  mailboxCredentials: `the user name (the full mailbox address) and the password in ${url}`
};
function adviceTermsFor(source) {
  return source === "connection-url" ? urlTerms : inputTerms;
}

// src/action/delivery-progress.ts
var deliveredReply = Object.freeze({
  code: 250,
  lines: ["accepted in an earlier transaction of a session that failed later"]
});
function isTransientReply(reply) {
  return reply.code >= 400 && reply.code < 500;
}
var DeliveryProgress = class {
  accepted = [];
  rejected = [];
  transcript = [];
  warnings = [];
  /** Connections made. */
  attempts = 0;
  response;
  tls;
  authMechanism;
  /** Recipients not yet delivered nor refused for good, in the order given. */
  pending;
  /** The 4xx reply that sent each pending recipient into another attempt. */
  #lastReplies = /* @__PURE__ */ new Map();
  constructor(recipients) {
    this.pending = [...recipients];
  }
  /** An attempt that delivered to someone: 4xx refusals are tried again, 5xx are final. */
  recordResult(result) {
    this.transcript.push(...result.transcript);
    this.warnings.push(...result.warnings);
    this.accepted.push(...result.accepted);
    this.response = result.reply;
    this.tls = result.tls;
    this.authMechanism = result.authMechanism;
    const deferred = this.#sortRefusals(result.rejected);
    if (deferred.length === 0) return { next: "done" };
    return { next: "retry", reason: deferralError(deferred), refusals: true };
  }
  /**
   * An attempt that threw. Only where no server can have accepted the message is it worth
   * another: a transient failure with outcome `not-delivered`, or a refusal of every recipient
   * where some refusals were 4xx (those recipients alone are tried again).
   */
  recordFailure(error2) {
    this.transcript.push(...error2.transcript);
    const delivered = new Set(error2.delivered);
    this.accepted.push(...error2.delivered.map((address) => ({ address, reply: deliveredReply })));
    const refusals = error2 instanceof SmtpRecipientsError ? [] : error2.rejected;
    const deferred = new Set(this.#fileRefusals(refusals).map((refusal2) => refusal2.address));
    const settled = /* @__PURE__ */ new Set([...delivered, ...this.rejected.map((refusal2) => refusal2.address)]);
    this.pending = this.pending.filter((address) => !settled.has(address));
    if (error2.outcome === "unknown") {
      this.pending = this.pending.filter((address) => deferred.has(address));
    }
    if (error2.outcome !== "not-delivered") return { next: "stop", error: error2 };
    if (error2 instanceof SmtpRecipientsError) {
      const retried = this.#sortRefusals(error2.rejected);
      if (retried.length === 0) return { next: "stop", error: error2 };
      return { next: "retry", reason: error2, refusals: true };
    }
    return error2.transient ? { next: "retry", reason: error2, refusals: false } : { next: "stop", error: error2 };
  }
  /**
   * No attempt is left: whoever is still pending and was refused with a 4xx is reported with
   * that reply. Recipients never answered (the connection failed first) stay out of the list:
   * the error tells what happened to them.
   */
  settlePending() {
    for (const address of this.pending) {
      const reply = this.#lastReplies.get(address);
      if (reply !== void 0) this.rejected.push({ address, reply });
    }
    this.pending = [];
  }
  /** Files 5xx refusals as final; returns the 4xx ones, which become the next pending list. */
  #sortRefusals(refusals) {
    const deferred = this.#fileRefusals(refusals);
    this.pending = deferred.map((refusal2) => refusal2.address);
    return deferred;
  }
  /** Files 5xx refusals as final and remembers each 4xx reply; returns the 4xx refusals. */
  #fileRefusals(refusals) {
    const deferred = refusals.filter((refusal2) => isTransientReply(refusal2.reply));
    this.rejected.push(...refusals.filter((refusal2) => !isTransientReply(refusal2.reply)));
    for (const { address, reply } of deferred) this.#lastReplies.set(address, reply);
    return deferred;
  }
};
function describeRefusals(refusals) {
  return refusals.map(({ address, reply }) => `${address} (${formatReply(reply)})`).join("; ");
}
function deferralError(deferred) {
  const list = describeRefusals(deferred);
  const first = deferred[0];
  const noun = deferred.length === 1 ? "recipient" : "recipients";
  return new SmtpReplyError(
    `The server refused ${deferred.length} ${noun} for now: ${list}. The others have the message.`,
    {
      phase: "rcpt",
      command: first === void 0 ? "RCPT TO" : `RCPT TO:<${first.address}>`,
      ...first === void 0 ? {} : { reply: first.reply },
      transient: true
    }
  );
}

// src/action/delivery-deadline.ts
var OverallDeadlineExpired = class extends Error {
  name = "OverallDeadlineExpired";
};
var maxTimerMs2 = 2147483647;
function startOverallDeadline(deadlineMs, parent) {
  const controller = new AbortController();
  const reason = new OverallDeadlineExpired(
    `The delivery did not finish within the overall deadline of ${formatSeconds(deadlineMs)} (the timeout input).`
  );
  const ms = Math.min(Math.max(1, deadlineMs), maxTimerMs2);
  const timer = setTimeout(() => controller.abort(reason), ms).unref();
  const signal = parent === void 0 ? controller.signal : AbortSignal.any([controller.signal, parent]);
  return { signal, dispose: () => clearTimeout(timer) };
}
var maxCauseDepth2 = 8;
function findOverallDeadline(error2) {
  let current = error2;
  for (let depth = 0; current instanceof Error && depth < maxCauseDepth2; depth += 1) {
    if (current instanceof OverallDeadlineExpired) return current;
    current = current.cause;
  }
  return void 0;
}

// src/action/delivery.ts
var unknownOutcomeNote = "The message may or may not have been delivered: the connection ended after the whole message was sent and before the server confirmed it. It was not retried, to avoid delivering a duplicate.";
var minAttemptMs = 2e3;
async function deliverWithRetries(request) {
  const now = request.now ?? Date.now;
  const started = now();
  const deadline = startOverallDeadline(request.deadlineMs, request.server.signal);
  const progress = new DeliveryProgress(request.envelope.to);
  let error2;
  try {
    error2 = await runAttempts(request, progress, started + request.deadlineMs, deadline.signal);
  } finally {
    deadline.dispose();
  }
  progress.settlePending();
  return buildReport(progress, now() - started, error2);
}
async function runAttempts(request, progress, deadlineAt, signal) {
  const now = request.now ?? Date.now;
  for (let tries = 1; ; tries += 1) {
    const verdict = await attemptOnce(request, progress, signal);
    if (verdict.next === "done") return void 0;
    if (verdict.next === "stop") return endingError(verdict.error, progress);
    const delay = planRetry(request, tries, deadlineAt - now(), signal);
    if (typeof delay === "string") return giveUp(verdict, delay, progress);
    request.onRetry?.(verdict.reason, tries, delay);
    await (request.sleep ?? sleep)(delay, signal);
    if (signal.aborted) {
      const why = `${gaveUpAfter(tries)}: the delivery was aborted (cancelled, or the timeout input's deadline passed).`;
      return giveUp(verdict, why, progress);
    }
    progress.transcript.push({
      direction: "info",
      text: `[attempt ${tries + 1}, after waiting ${formatSeconds(delay)}]`
    });
  }
}
async function attemptOnce(request, progress, signal) {
  try {
    const result = await sendMail({
      ...request.server,
      envelope: { ...request.envelope, to: progress.pending },
      message: request.message,
      signal
    });
    progress.attempts += 1;
    return progress.recordResult(result);
  } catch (caught) {
    if (!(caught instanceof SmtpError)) throw caught;
    if (!(caught instanceof SmtpInputError && caught.phase === "input")) progress.attempts += 1;
    const deadline = findOverallDeadline(caught);
    if (deadline !== void 0) caught.message = deadline.message;
    if (caught.outcome === "unknown") caught.message = `${caught.message} ${unknownOutcomeNote}`;
    const verdict = progress.recordFailure(caught);
    return deadline !== void 0 && verdict.next === "retry" ? { next: "stop", error: caught } : verdict;
  }
}
function gaveUpAfter(tries) {
  return `Gave up after ${tries} ${tries === 1 ? "attempt" : "attempts"}`;
}
function planRetry(request, tries, remainingMs, signal) {
  const retries = Number.isFinite(request.retries) ? Math.max(0, Math.floor(request.retries)) : 0;
  if (tries > retries) {
    return `${gaveUpAfter(tries)} (the retries input allows ${retries}).`;
  }
  if (signal.aborted || remainingMs <= minAttemptMs) {
    return `${gaveUpAfter(tries)}: the timeout input's overall deadline (${formatSeconds(request.deadlineMs)}) leaves no time for another.`;
  }
  const delay = computeBackoff(tries, request.random ?? Math.random);
  return Math.min(delay, remainingMs - minAttemptMs);
}
function endingError(error2, progress) {
  return error2 instanceof SmtpRecipientsError && progress.accepted.length > 0 ? void 0 : error2;
}
function giveUp(verdict, why, progress) {
  if (verdict.refusals && progress.accepted.length > 0) {
    progress.warnings.push(`${verdict.reason.message} ${why}`);
    return void 0;
  }
  verdict.reason.message = `${verdict.reason.message} ${why}`;
  return verdict.reason;
}
function buildReport(progress, durationMs, error2) {
  return {
    result: chooseResult(progress, error2),
    attempts: progress.attempts,
    accepted: progress.accepted,
    rejected: progress.rejected,
    response: progress.response,
    tls: progress.tls,
    authMechanism: progress.authMechanism,
    transcript: progress.transcript,
    warnings: progress.warnings,
    durationMs,
    error: error2
  };
}
function chooseResult(progress, error2) {
  if (error2?.outcome === "unknown") return "unknown";
  if (progress.accepted.length > 0) {
    return error2 === void 0 && progress.rejected.length === 0 ? "sent" : "partial";
  }
  return "failed";
}
function describeRetry(error2, attempt, delayMs) {
  let why = error2.reply === void 0 ? error2.message : formatReply(error2.reply);
  if (error2.phase === "rcpt" && error2.command !== void 0) why = `${error2.command}: ${why}`;
  return `Attempt ${attempt} failed (${escapeUntrustedInline(why)}); retrying in ${formatSeconds(delayMs)}`;
}

// src/action/provider-advice.ts
function replyText(error2) {
  return error2.reply === void 0 ? "" : formatReply(error2.reply);
}
function hostMatches(server, pattern) {
  return server !== void 0 && pattern.test(server.host);
}
var gmailAppPassword = (error2, { server, terms }) => {
  if (error2.code !== 535 && error2.code !== 534) return void 0;
  const gmail = hostMatches(server, /(^|\.)(gmail|google|googlemail)\.com$/i) || /gsmtp|BadCredentials/i.test(replyText(error2));
  if (!gmail) return void 0;
  return `Gmail does not accept the account password over SMTP: turn on 2-Step Verification for the account, create an app password (https://myaccount.google.com/apppasswords) and use it as ${terms.appPassword}.`;
};
var microsoftSmtpAuthDisabled = (error2) => {
  if (error2.code !== 535 || error2.enhancedCode !== "5.7.139") return void 0;
  return "Microsoft 365 has SMTP AUTH (Authenticated SMTP) disabled for the tenant or for this mailbox. An Exchange admin must enable it for the mailbox (Microsoft 365 admin center: the user, Mail, Manage email apps, Authenticated SMTP; or `Set-CASMailbox -SmtpClientAuthenticationDisabled $false`); tenant-wide security defaults also block it.";
};
var office365Refused = (error2, { server, terms }) => {
  if (error2.code !== 535 || error2.enhancedCode !== "5.7.3") return void 0;
  if (!hostMatches(server, /(office365|outlook)\.com$/i) && !/Authentication unsuccessful/i.test(replyText(error2))) {
    return void 0;
  }
  return `Office 365 refused the credentials, or SMTP AUTH is disabled for this mailbox. Check ${terms.mailboxCredentials}; if they are right, an admin must enable Authenticated SMTP for the mailbox.`;
};
var sesNotVerified = (error2) => {
  if (error2.code !== 554 || !/address is not verified/i.test(replyText(error2))) return void 0;
  return `Amazon SES: verify the sender identity (the \`${Inputs.from}\` address or its domain) in this region. While the account is in the SES sandbox every recipient must be verified too; request production access to leave it.`;
};
var providerRules = [
  gmailAppPassword,
  microsoftSmtpAuthDisabled,
  office365Refused,
  sesNotVerified
];

// src/action/failure-advice.ts
var phaseNames = {
  input: "while checking the settings",
  connect: "while connecting",
  greeting: "while waiting for the greeting",
  ehlo: "at EHLO",
  starttls: "at STARTTLS",
  auth: "at authentication",
  mail: "at MAIL FROM",
  rcpt: "at RCPT TO",
  data: "at DATA",
  message: "while sending the message",
  quit: "at QUIT"
};
function adviseOnFailure(error2, server, source = "inputs") {
  if (!(error2 instanceof SmtpError)) {
    return error2 instanceof Error ? error2.message : String(error2);
  }
  const lines = [describeFailure(error2)];
  const context = { server, terms: adviceTermsFor(source) };
  const advice = rules.map((rule) => rule(error2, context)).find((text2) => text2 !== void 0);
  if (advice !== void 0) lines.push(advice);
  lines.push(...describeOutcome(error2));
  return hideUrlHost(lines.join("\n"), server, source);
}
function describeFailure(error2) {
  if (error2 instanceof SmtpInputError) return error2.message;
  const step = phaseNames[error2.phase];
  const named = error2.command !== void 0 && !step.endsWith(error2.command);
  const command = named ? ` (${error2.command})` : "";
  const repeated = named ? `${error2.command} failed: ` : void 0;
  const message = repeated !== void 0 && error2.message.startsWith(repeated) ? error2.message.slice(repeated.length) : error2.message;
  let text2 = `SMTP failed ${step}${command}: ${message}`;
  if (error2.reply !== void 0 && !error2.message.includes(formatReply(error2.reply))) {
    text2 += ` The server replied: ${formatReply(error2.reply)}`;
  }
  return text2;
}
function describeOutcome(error2) {
  if (error2.outcome === "unknown") {
    const lines = error2.message.includes(unknownOutcomeNote) ? [] : [unknownOutcomeNote];
    if (error2.delivered.length > 0) {
      lines.push(`An earlier transaction delivered it to ${error2.delivered.join(", ")}.`);
    }
    lines.push(...describeEarlierRefusals(error2));
    return [...lines, "Check whether the message arrived before running the job again."];
  }
  if (error2.outcome === "partial" && error2.delivered.length > 0) {
    return [
      `The message was delivered to ${error2.delivered.join(", ")} before the failure; it was not retried, so they do not get it twice.`,
      ...describeEarlierRefusals(error2)
    ];
  }
  return [];
}
function describeEarlierRefusals(error2) {
  if (error2 instanceof SmtpRecipientsError || error2.rejected.length === 0) return [];
  return [`The server had also refused ${describeRefusals(error2.rejected)}.`];
}
var portAndTlsMode = (error2, { server, terms }) => {
  const mismatch = /wrong version number|packet length too long|does not seem to speak TLS|port and the TLS mode probably disagree/i;
  if (!mismatch.test(error2.message)) return void 0;
  return terms.agreeOnTls(server);
};
function causeCode(error2) {
  const code = error2.cause?.code;
  return typeof code === "string" ? code : void 0;
}
var untrustedCodes2 = /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE)/;
var certificateName = (error2, { terms }) => {
  if (!(error2 instanceof SmtpTlsError)) return void 0;
  if (causeCode(error2) !== "ERR_TLS_CERT_ALTNAME_INVALID" && !/is not valid for "/.test(error2.message)) {
    return void 0;
  }
  return `Set ${terms.host} to a name the certificate lists, or keep it and set \`${Inputs.tlsServername}\` to that name (needed when ${terms.host} is an IP address).`;
};
var certificateTrust = (error2) => {
  if (!(error2 instanceof SmtpTlsError)) return void 0;
  const code = causeCode(error2);
  if (!(code !== void 0 && untrustedCodes2.test(code)) && !/not signed by a trusted authority/.test(error2.message)) {
    return void 0;
  }
  return `If the server uses a private CA, put its certificate (PEM) in \`${Inputs.tlsCa}\`, e.g. from a secret. \`${Inputs.tlsVerify}: false\` turns off every check and lets anyone on the path read the password: it is not a fix.`;
};
var starttlsMissing = (error2, { terms }) => {
  if (!(error2 instanceof SmtpTlsError) || !/does not offer STARTTLS/.test(error2.message)) {
    return void 0;
  }
  return `The server does not offer STARTTLS. If it has implicit TLS, use ${terms.implicitTls}. ${terms.plainText}`;
};
var tlsRequired = (error2, { terms }) => {
  if (error2.code !== 530 || !/STARTTLS|TLS/i.test(replyText(error2))) return void 0;
  return `The server wants TLS before this command: ${terms.useTls}.`;
};
var authRequired = (error2, { server, terms }) => {
  if (server?.auth !== void 0) return void 0;
  const asked = error2.enhancedCode === "5.7.0" || /auth/i.test(replyText(error2));
  if (error2.code !== 530 || !asked) return void 0;
  return `The server wants a login before it takes mail: ${terms.authenticate}. If they come from secrets, check the secret names; a run for a pull request from a fork gets no secrets.`;
};
var relayDenied = (error2, { terms }) => {
  const refused = /relay(ing)? (access )?(denied|not permitted|prohibited)|not permitted to relay|unable to relay|send ?as/i;
  if (error2.code === void 0 || error2.code < 500 || !refused.test(replyText(error2)))
    return void 0;
  return `The server will not take this message from this client: ${terms.authenticate} and use a \`${Inputs.from}\` address the account may send as.`;
};
var authFailed = (error2, { terms }) => {
  if (!(error2 instanceof SmtpAuthError)) return void 0;
  if (error2.code === void 0) {
    return `Check the \`${Inputs.auth}\` input (a mechanism the server offers, or auto) and ${terms.port}: submission servers offer AUTH on ${Ports.submission} or ${Ports.implicit}.`;
  }
  return `Check ${terms.credentials}; some providers want an app password or a token instead of the account password.`;
};
var port25Blocked = (error2, { server, terms }) => {
  const connectPhase = error2.phase === "connect" || error2.phase === "greeting";
  const unreachable2 = error2 instanceof SmtpTimeoutError || error2 instanceof SmtpConnectionError;
  if (server?.port !== Ports.relay || !connectPhase || !unreachable2) return void 0;
  return `GitHub-hosted runners block outbound port ${Ports.relay}. Use a submission port: ${terms.tlsPairs}.`;
};
var recipientsRefused = (error2) => {
  if (!(error2 instanceof SmtpRecipientsError) || error2.transient) return void 0;
  return `Check the addresses in \`${Inputs.to}\`, \`${Inputs.cc}\` and \`${Inputs.bcc}\`.`;
};
var timedOut = (error2, { terms }) => {
  if (!(error2 instanceof SmtpTimeoutError)) return void 0;
  return `If the server is slow rather than unreachable, raise \`${Inputs.timeout}\` (seconds for the whole delivery, retries included); otherwise check ${terms.hostAndPort} and that the runner can reach it (a firewall, or \`${Inputs.proxy}\`).`;
};
var unreachable = (error2, { terms }) => {
  if (!(error2 instanceof SmtpConnectionError) || error2.phase !== "connect") return void 0;
  return `Check ${terms.hostAndPort}, and that the runner can reach the server (a firewall, or \`${Inputs.proxy}\`).`;
};
var rules = [
  starttlsMissing,
  portAndTlsMode,
  certificateName,
  certificateTrust,
  ...providerRules,
  tlsRequired,
  authRequired,
  relayDenied,
  authFailed,
  port25Blocked,
  recipientsRefused,
  timedOut,
  unreachable
];

// src/action/port-tls-warning.ts
function describePortTlsMismatch(server, source) {
  const mode = source === "connection-url" ? `the scheme is ${server.tls === "implicit" ? "smtps://" : "smtp://"}` : `tls is ${server.tls}`;
  let problem;
  if (server.port === Ports.implicit && server.tls !== "implicit") {
    problem = `Port ${server.port} expects TLS from the first byte (RFC 8314 3.3), but ${mode}: the server will not greet in clear text, so the connection will wait until it times out.`;
  } else if (
    // RFC 6409 and RFC 3207: 587 and 25 greet in clear text and upgrade with STARTTLS.
    (server.port === Ports.submission || server.port === Ports.relay) && server.tls === "implicit"
  ) {
    problem = `Port ${server.port} greets in clear text and upgrades with STARTTLS, but ${mode}: the TLS handshake will fail.`;
  } else {
    return void 0;
  }
  return `${problem} ${adviceTermsFor(source).agreeOnTls(server)}`;
}

// node_modules/@actions/glob/lib/internal-globber.js
import * as fs3 from "fs";

// node_modules/@actions/glob/lib/internal-glob-options-helper.js
function getOptions(copy) {
  const result = {
    followSymbolicLinks: true,
    implicitDescendants: true,
    matchDirectories: true,
    omitBrokenSymbolicLinks: true,
    excludeHiddenFiles: false
  };
  if (copy) {
    if (typeof copy.followSymbolicLinks === "boolean") {
      result.followSymbolicLinks = copy.followSymbolicLinks;
      debug(`followSymbolicLinks '${result.followSymbolicLinks}'`);
    }
    if (typeof copy.implicitDescendants === "boolean") {
      result.implicitDescendants = copy.implicitDescendants;
      debug(`implicitDescendants '${result.implicitDescendants}'`);
    }
    if (typeof copy.matchDirectories === "boolean") {
      result.matchDirectories = copy.matchDirectories;
      debug(`matchDirectories '${result.matchDirectories}'`);
    }
    if (typeof copy.omitBrokenSymbolicLinks === "boolean") {
      result.omitBrokenSymbolicLinks = copy.omitBrokenSymbolicLinks;
      debug(`omitBrokenSymbolicLinks '${result.omitBrokenSymbolicLinks}'`);
    }
    if (typeof copy.excludeHiddenFiles === "boolean") {
      result.excludeHiddenFiles = copy.excludeHiddenFiles;
      debug(`excludeHiddenFiles '${result.excludeHiddenFiles}'`);
    }
  }
  return result;
}

// node_modules/@actions/glob/lib/internal-globber.js
import * as path5 from "path";

// node_modules/@actions/glob/lib/internal-path-helper.js
import * as path from "path";
import assert from "assert";
var IS_WINDOWS3 = process.platform === "win32";
function dirname2(p) {
  p = safeTrimTrailingSeparator(p);
  if (IS_WINDOWS3 && /^\\\\[^\\]+(\\[^\\]+)?$/.test(p)) {
    return p;
  }
  let result = path.dirname(p);
  if (IS_WINDOWS3 && /^\\\\[^\\]+\\[^\\]+\\$/.test(result)) {
    result = safeTrimTrailingSeparator(result);
  }
  return result;
}
function ensureAbsoluteRoot(root, itemPath) {
  assert(root, `ensureAbsoluteRoot parameter 'root' must not be empty`);
  assert(itemPath, `ensureAbsoluteRoot parameter 'itemPath' must not be empty`);
  if (hasAbsoluteRoot(itemPath)) {
    return itemPath;
  }
  if (IS_WINDOWS3) {
    if (itemPath.match(/^[A-Z]:[^\\/]|^[A-Z]:$/i)) {
      let cwd = process.cwd();
      assert(cwd.match(/^[A-Z]:\\/i), `Expected current directory to start with an absolute drive root. Actual '${cwd}'`);
      if (itemPath[0].toUpperCase() === cwd[0].toUpperCase()) {
        if (itemPath.length === 2) {
          return `${itemPath[0]}:\\${cwd.substr(3)}`;
        } else {
          if (!cwd.endsWith("\\")) {
            cwd += "\\";
          }
          return `${itemPath[0]}:\\${cwd.substr(3)}${itemPath.substr(2)}`;
        }
      } else {
        return `${itemPath[0]}:\\${itemPath.substr(2)}`;
      }
    } else if (normalizeSeparators(itemPath).match(/^\\$|^\\[^\\]/)) {
      const cwd = process.cwd();
      assert(cwd.match(/^[A-Z]:\\/i), `Expected current directory to start with an absolute drive root. Actual '${cwd}'`);
      return `${cwd[0]}:\\${itemPath.substr(1)}`;
    }
  }
  assert(hasAbsoluteRoot(root), `ensureAbsoluteRoot parameter 'root' must have an absolute root`);
  if (root.endsWith("/") || IS_WINDOWS3 && root.endsWith("\\")) {
  } else {
    root += path.sep;
  }
  return root + itemPath;
}
function hasAbsoluteRoot(itemPath) {
  assert(itemPath, `hasAbsoluteRoot parameter 'itemPath' must not be empty`);
  itemPath = normalizeSeparators(itemPath);
  if (IS_WINDOWS3) {
    return itemPath.startsWith("\\\\") || /^[A-Z]:\\/i.test(itemPath);
  }
  return itemPath.startsWith("/");
}
function hasRoot(itemPath) {
  assert(itemPath, `isRooted parameter 'itemPath' must not be empty`);
  itemPath = normalizeSeparators(itemPath);
  if (IS_WINDOWS3) {
    return itemPath.startsWith("\\") || /^[A-Z]:/i.test(itemPath);
  }
  return itemPath.startsWith("/");
}
function normalizeSeparators(p) {
  p = p || "";
  if (IS_WINDOWS3) {
    p = p.replace(/\//g, "\\");
    const isUnc = /^\\\\+[^\\]/.test(p);
    return (isUnc ? "\\" : "") + p.replace(/\\\\+/g, "\\");
  }
  return p.replace(/\/\/+/g, "/");
}
function safeTrimTrailingSeparator(p) {
  if (!p) {
    return "";
  }
  p = normalizeSeparators(p);
  if (!p.endsWith(path.sep)) {
    return p;
  }
  if (p === path.sep) {
    return p;
  }
  if (IS_WINDOWS3 && /^[A-Z]:\\$/i.test(p)) {
    return p;
  }
  return p.substr(0, p.length - 1);
}

// node_modules/@actions/glob/lib/internal-match-kind.js
var MatchKind;
(function(MatchKind2) {
  MatchKind2[MatchKind2["None"] = 0] = "None";
  MatchKind2[MatchKind2["Directory"] = 1] = "Directory";
  MatchKind2[MatchKind2["File"] = 2] = "File";
  MatchKind2[MatchKind2["All"] = 3] = "All";
})(MatchKind || (MatchKind = {}));

// node_modules/@actions/glob/lib/internal-pattern-helper.js
var IS_WINDOWS4 = process.platform === "win32";
function getSearchPaths(patterns) {
  patterns = patterns.filter((x2) => !x2.negate);
  const searchPathMap = {};
  for (const pattern of patterns) {
    const key = IS_WINDOWS4 ? pattern.searchPath.toUpperCase() : pattern.searchPath;
    searchPathMap[key] = "candidate";
  }
  const result = [];
  for (const pattern of patterns) {
    const key = IS_WINDOWS4 ? pattern.searchPath.toUpperCase() : pattern.searchPath;
    if (searchPathMap[key] === "included") {
      continue;
    }
    let foundAncestor = false;
    let tempKey = key;
    let parent = dirname2(tempKey);
    while (parent !== tempKey) {
      if (searchPathMap[parent]) {
        foundAncestor = true;
        break;
      }
      tempKey = parent;
      parent = dirname2(tempKey);
    }
    if (!foundAncestor) {
      result.push(pattern.searchPath);
      searchPathMap[key] = "included";
    }
  }
  return result;
}
function match(patterns, itemPath) {
  let result = MatchKind.None;
  for (const pattern of patterns) {
    if (pattern.negate) {
      result &= ~pattern.match(itemPath);
    } else {
      result |= pattern.match(itemPath);
    }
  }
  return result;
}
function partialMatch(patterns, itemPath) {
  return patterns.some((x2) => !x2.negate && x2.partialMatch(itemPath));
}

// node_modules/@actions/glob/lib/internal-pattern.js
import * as os5 from "os";
import * as path4 from "path";
import assert3 from "assert";

// node_modules/@actions/glob/node_modules/balanced-match/dist/esm/index.js
var range2 = (a, b, str) => {
  let begs, beg, left, right = void 0, result;
  let ai = str.indexOf(a);
  let bi = str.indexOf(b, ai + 1);
  let i = ai;
  if (ai >= 0 && bi > 0) {
    if (a === b) {
      return [ai, bi];
    }
    begs = [];
    left = str.length;
    while (i >= 0 && !result) {
      if (i === ai) {
        begs.push(i);
        ai = str.indexOf(a, i + 1);
      } else if (begs.length === 1) {
        const r = begs.pop();
        if (r !== void 0)
          result = [r, bi];
      } else {
        beg = begs.pop();
        if (beg !== void 0 && beg < left) {
          left = beg;
          right = bi;
        }
        bi = str.indexOf(b, i + 1);
      }
      i = ai < bi && ai >= 0 ? ai : bi;
    }
    if (begs.length && right !== void 0) {
      result = [left, right];
    }
  }
  return result;
};

// node_modules/@actions/glob/node_modules/brace-expansion/dist/esm/index.js
var escSlash = "\0SLASH" + Math.random().toFixed(16) + "\0";
var escOpen = "\0OPEN" + Math.random().toFixed(16) + "\0";
var escClose = "\0CLOSE" + Math.random().toFixed(16) + "\0";
var escComma = "\0COMMA" + Math.random().toFixed(16) + "\0";
var escPeriod = "\0PERIOD" + Math.random().toFixed(16) + "\0";
var escSlashPattern = new RegExp(escSlash, "g");
var escOpenPattern = new RegExp(escOpen, "g");
var escClosePattern = new RegExp(escClose, "g");
var escCommaPattern = new RegExp(escComma, "g");
var escPeriodPattern = new RegExp(escPeriod, "g");
var slashPattern = /\\\\/g;
var openPattern = /\\{/g;
var closePattern = /\\}/g;
var commaPattern = /\\,/g;
var periodPattern = /\\\./g;
var EXPANSION_MAX = 1e5;
var EXPANSION_MAX_LENGTH = 4e6;
var EXPANSION_MAX_DEPTH = 1e3;
var EXPANSION_MAX_REWRITES = 1e3;
var EXPANSION_MAX_STEPS = 2e7;
var CALL_STEPS = 16;
function numeric(str) {
  return !isNaN(str) ? parseInt(str, 10) : str.charCodeAt(0);
}
function escapeBraces(str) {
  return str.replace(slashPattern, escSlash).replace(openPattern, escOpen).replace(closePattern, escClose).replace(commaPattern, escComma).replace(periodPattern, escPeriod);
}
function unescapeBraces(str) {
  return str.replace(escSlashPattern, "\\").replace(escOpenPattern, "{").replace(escClosePattern, "}").replace(escCommaPattern, ",").replace(escPeriodPattern, ".");
}
function pushAll(target, items) {
  for (let i = 0; i < items.length; i++) {
    target.push(items[i]);
  }
}
function balancedWithBudget(str, masked, budget) {
  if (budget.remaining < 0) {
    return void 0;
  }
  const r = range2("{", "}", masked);
  const unmatched = r !== void 0 && masked.indexOf("{") < r[0];
  budget.remaining -= r && !unmatched ? r[1] + 1 : str.length;
  if (!r || budget.remaining < 0) {
    return void 0;
  }
  return {
    end: r[1],
    pre: str.slice(0, r[0]),
    body: str.slice(r[0] + 1, r[1]),
    post: str.slice(r[1] + 1),
    unmatched
  };
}
function maskUnmatchedOpens(masked, budget) {
  budget.remaining -= masked.length;
  const open3 = [];
  for (let i = 0; i < masked.length; i++) {
    const c = masked.charCodeAt(i);
    if (c === 123) {
      open3.push(i);
    } else if (c === 125 && open3.length) {
      open3.pop();
    }
  }
  let out = "";
  let last = 0;
  for (let i = 0; i < open3.length; i++) {
    const at2 = open3[i];
    out += masked.slice(last, at2) + "\0";
    last = at2 + 1;
  }
  return out + masked.slice(last);
}
function commaSetFollows(str, budget) {
  budget.remaining -= str.length;
  if (budget.remaining < 0) {
    return false;
  }
  let close = false;
  for (let i = str.length - 1; i >= 0; i--) {
    const c = str.charCodeAt(i);
    if (c === 125) {
      close = true;
    } else if (c === 10 || c === 13 || c === 8232 || c === 8233) {
      close = false;
    } else if (c === 44 && close && str.charCodeAt(i + 1) !== 44) {
      return true;
    }
  }
  return false;
}
function parseCommaParts(str, budget) {
  const parts = [];
  let carry = "";
  for (; ; ) {
    const m = balancedWithBudget(str, str, budget);
    if (budget.remaining < 0) {
      return void 0;
    }
    if (!m) {
      const tail = str.split(",");
      tail[0] = carry + tail[0];
      pushAll(parts, tail);
      return parts;
    }
    const { pre, body, post } = m;
    const p = pre.split(",");
    p[0] = carry + p[0];
    p[p.length - 1] += "{" + body + "}";
    if (!post.length) {
      pushAll(parts, p);
      return parts;
    }
    carry = p.pop();
    pushAll(parts, p);
    str = post;
  }
}
function bound(value, fallback) {
  return value === void 0 || isNaN(value) ? fallback : value;
}
function expand(str, options = {}) {
  if (!str) {
    return [];
  }
  const max = bound(options.max, EXPANSION_MAX);
  const maxLength = bound(options.maxLength, EXPANSION_MAX_LENGTH);
  const maxDepth = bound(options.maxDepth, EXPANSION_MAX_DEPTH);
  const maxRewrites = bound(options.maxRewrites, EXPANSION_MAX_REWRITES);
  const maxSteps = bound(options.maxSteps, EXPANSION_MAX_STEPS);
  if (str.slice(0, 2) === "{}") {
    str = "\\{\\}" + str.slice(2);
  }
  return expand_(escapeBraces(str), max, maxLength, maxDepth, 0, maxRewrites, { remaining: maxSteps }, true).map(unescapeBraces);
}
function embrace(str) {
  return "{" + str + "}";
}
function isPadded(el) {
  return /^-?0\d/.test(el);
}
function lte(i, y2) {
  return i <= y2;
}
function gte(i, y2) {
  return i >= y2;
}
function combine(acc, pre, values, max, maxLength, dropEmpties, budget) {
  const out = [];
  let length = 0;
  let nonEmpty;
  outer: for (let a = 0; a < acc.length; a++) {
    const prefix = acc[a] + pre;
    let vs = values;
    if (dropEmpties && !prefix) {
      if (!nonEmpty)
        nonEmpty = values.filter((v2) => v2);
      vs = nonEmpty;
    }
    for (let v2 = 0; v2 < vs.length; v2++) {
      if (out.length >= max)
        break outer;
      const expansion = prefix + vs[v2];
      if (length + expansion.length > maxLength)
        break outer;
      out.push(expansion);
      length += expansion.length;
    }
  }
  budget.remaining -= out.length;
  return out;
}
function expandSequence(body, isAlphaSequence, max, maxLength, budget) {
  const n = body.split(/\.\./);
  const N2 = [];
  if (n[0] === void 0 || n[1] === void 0) {
    return N2;
  }
  const x2 = numeric(n[0]);
  const y2 = numeric(n[1]);
  const width = Math.max(n[0].length, n[1].length);
  let incr = n.length === 3 && n[2] !== void 0 ? Math.max(Math.abs(numeric(n[2])), 1) : 1;
  let test = lte;
  const reverse = y2 < x2;
  if (reverse) {
    incr *= -1;
    test = gte;
  }
  const pad = n.some(isPadded);
  const cost = pad ? width : 1;
  let length = 0;
  for (let i = x2; test(i, y2) && N2.length < max; i += incr) {
    budget.remaining -= cost;
    if (budget.remaining < 0) {
      return void 0;
    }
    let c;
    if (isAlphaSequence) {
      c = String.fromCharCode(i);
      if (c === "\\") {
        c = "";
      }
    } else {
      c = String(i);
      if (pad) {
        const need = width - c.length;
        if (need > 0) {
          const z2 = new Array(need + 1).join("0");
          if (i < 0) {
            c = "-" + z2 + c.slice(1);
          } else {
            c = z2 + c;
          }
        }
      }
    }
    if (length + c.length > maxLength)
      break;
    N2.push(c);
    length += c.length;
  }
  return N2;
}
function expand_(str, max, maxLength, maxDepth, depth, maxRewrites, budget, isTop) {
  budget.remaining -= CALL_STEPS;
  if (depth > maxDepth) {
    return [str];
  }
  let acc = [""];
  let rewrites = 0;
  let dropEmpties = false;
  let firstGroup = true;
  let masked = str;
  for (; ; ) {
    const m = balancedWithBudget(str, masked, budget);
    if (!m) {
      return combine(acc, str, [""], max, maxLength, dropEmpties, budget);
    }
    if (m.unmatched) {
      masked = maskUnmatchedOpens(masked, budget);
    }
    const pre = m.pre;
    const literal = () => combine(acc, pre + "{" + m.body + "}" + m.post, [""], max, maxLength, dropEmpties, budget);
    if (/\$$/.test(pre)) {
      acc = combine(acc, pre + "{" + m.body + "}", [""], max, maxLength, dropEmpties && !m.post.length, budget);
      firstGroup = false;
      if (!m.post.length)
        break;
      str = m.post;
      masked = masked.slice(m.end + 1);
      continue;
    }
    const isNumericSequence = /^-?\d+\.\.-?\d+(?:\.\.-?\d+)?$/.test(m.body);
    const isAlphaSequence = /^[a-zA-Z]\.\.[a-zA-Z](?:\.\.-?\d+)?$/.test(m.body);
    const isSequence = isNumericSequence || isAlphaSequence;
    const isOptions = m.body.indexOf(",") >= 0;
    if (!isSequence && !isOptions) {
      if (rewrites < maxRewrites && commaSetFollows(m.post, budget)) {
        rewrites++;
        str = m.pre + "{" + m.body + escClose + m.post;
        masked = masked.slice(0, m.end) + escClose + masked.slice(m.end + 1);
        isTop = true;
        continue;
      }
      return literal();
    }
    if (firstGroup) {
      dropEmpties = isTop && !isSequence;
      firstGroup = false;
    }
    let values;
    if (isSequence) {
      values = expandSequence(m.body, isAlphaSequence, max, maxLength, budget);
      if (!values) {
        return literal();
      }
    } else {
      let n = parseCommaParts(m.body, budget);
      if (!n) {
        return literal();
      }
      if (n.length === 1 && n[0] !== void 0) {
        n = expand_(n[0], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false).map(embrace);
        if (budget.remaining < 0) {
          return literal();
        }
        if (n.length === 1) {
          const next2 = combine(acc, pre + n[0], [""], max, maxLength, dropEmpties && !m.post.length, budget);
          if (budget.remaining < 0) {
            return literal();
          }
          acc = next2;
          if (!m.post.length)
            break;
          str = m.post;
          masked = masked.slice(m.end + 1);
          continue;
        }
      }
      let dropsEmpties = dropEmpties && !m.post.length && !pre;
      for (let d = 0; dropsEmpties && d < acc.length; d++) {
        if (acc[d]) {
          dropsEmpties = false;
        }
      }
      values = [];
      let valuesLength = 0;
      outer: for (let j = 0; j < n.length; j++) {
        const expanded = expand_(n[j], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false);
        if (budget.remaining < 0) {
          return literal();
        }
        for (let k = 0; k < expanded.length; k++) {
          const v2 = expanded[k];
          if (dropsEmpties && !v2)
            continue;
          if (values.length >= max || valuesLength + v2.length > maxLength) {
            break outer;
          }
          values.push(v2);
          valuesLength += v2.length;
        }
      }
    }
    const next = combine(acc, pre, values, max, maxLength, dropEmpties && !m.post.length, budget);
    if (budget.remaining < 0) {
      return literal();
    }
    acc = next;
    if (!m.post.length)
      break;
    str = m.post;
    masked = masked.slice(m.end + 1);
  }
  return acc;
}

// node_modules/@actions/glob/node_modules/minimatch/dist/esm/assert-valid-pattern.js
var MAX_PATTERN_LENGTH = 1024 * 64;
var assertValidPattern = (pattern) => {
  if (typeof pattern !== "string") {
    throw new TypeError("invalid pattern");
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new TypeError("pattern is too long");
  }
};

// node_modules/@actions/glob/node_modules/minimatch/dist/esm/brace-expressions.js
var posixClasses = {
  "[:alnum:]": ["\\p{L}\\p{Nl}\\p{Nd}", true],
  "[:alpha:]": ["\\p{L}\\p{Nl}", true],
  "[:ascii:]": ["\\x00-\\x7f", false],
  "[:blank:]": ["\\p{Zs}\\t", true],
  "[:cntrl:]": ["\\p{Cc}", true],
  "[:digit:]": ["\\p{Nd}", true],
  "[:graph:]": ["\\p{Z}\\p{C}", true, true],
  "[:lower:]": ["\\p{Ll}", true],
  "[:print:]": ["\\p{C}", true],
  "[:punct:]": ["\\p{P}", true],
  "[:space:]": ["\\p{Z}\\t\\r\\n\\v\\f", true],
  "[:upper:]": ["\\p{Lu}", true],
  "[:word:]": ["\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}", true],
  "[:xdigit:]": ["A-Fa-f0-9", false]
};
var braceEscape = (s) => s.replace(/[[\]\\-]/g, "\\$&");
var regexpEscape = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, "\\$&");
var rangesToString = (ranges) => ranges.join("");
var parseClass = (glob, position) => {
  const pos = position;
  if (glob.charAt(pos) !== "[") {
    throw new Error("not in a brace expression");
  }
  const ranges = [];
  const negs = [];
  let i = pos + 1;
  let sawStart = false;
  let uflag = false;
  let escaping = false;
  let negate = false;
  let endPos = pos;
  let rangeStart = "";
  WHILE: while (i < glob.length) {
    const c = glob.charAt(i);
    if ((c === "!" || c === "^") && i === pos + 1) {
      negate = true;
      i++;
      continue;
    }
    if (c === "]" && sawStart && !escaping) {
      endPos = i + 1;
      break;
    }
    sawStart = true;
    if (c === "\\") {
      if (!escaping) {
        escaping = true;
        i++;
        continue;
      }
    }
    if (c === "[" && !escaping) {
      for (const [cls, [unip, u, neg]] of Object.entries(posixClasses)) {
        if (glob.startsWith(cls, i)) {
          if (rangeStart) {
            return ["$.", false, glob.length - pos, true];
          }
          i += cls.length;
          if (neg)
            negs.push(unip);
          else
            ranges.push(unip);
          uflag = uflag || u;
          continue WHILE;
        }
      }
    }
    escaping = false;
    if (rangeStart) {
      if (c > rangeStart) {
        ranges.push(braceEscape(rangeStart) + "-" + braceEscape(c));
      } else if (c === rangeStart) {
        ranges.push(braceEscape(c));
      }
      rangeStart = "";
      i++;
      continue;
    }
    if (glob.startsWith("-]", i + 1)) {
      ranges.push(braceEscape(c + "-"));
      i += 2;
      continue;
    }
    if (glob.startsWith("-", i + 1)) {
      rangeStart = c;
      i += 2;
      continue;
    }
    ranges.push(braceEscape(c));
    i++;
  }
  if (endPos < i) {
    return ["", false, 0, false];
  }
  if (!ranges.length && !negs.length) {
    return ["$.", false, glob.length - pos, true];
  }
  if (negs.length === 0 && ranges.length === 1 && /^\\?.$/.test(ranges[0]) && !negate) {
    const r = ranges[0].length === 2 ? ranges[0].slice(-1) : ranges[0];
    return [regexpEscape(r), false, endPos - pos, false];
  }
  const sranges = "[" + (negate ? "^" : "") + rangesToString(ranges) + "]";
  const snegs = "[" + (negate ? "" : "^") + rangesToString(negs) + "]";
  const comb = ranges.length && negs.length ? "(" + sranges + "|" + snegs + ")" : ranges.length ? sranges : snegs;
  return [comb, uflag, endPos - pos, true];
};

// node_modules/@actions/glob/node_modules/minimatch/dist/esm/unescape.js
var unescape = (s, { windowsPathsNoEscape = false, magicalBraces = true } = {}) => {
  if (magicalBraces) {
    return windowsPathsNoEscape ? s.replace(/\[([^/\\])\]/g, "$1") : s.replace(/((?!\\).|^)\[([^/\\])\]/g, "$1$2").replace(/\\([^/])/g, "$1");
  }
  return windowsPathsNoEscape ? s.replace(/\[([^/\\{}])\]/g, "$1") : s.replace(/((?!\\).|^)\[([^/\\{}])\]/g, "$1$2").replace(/\\([^/{}])/g, "$1");
};

// node_modules/@actions/glob/node_modules/minimatch/dist/esm/ast.js
var _a;
var types3 = /* @__PURE__ */ new Set(["!", "?", "+", "*", "@"]);
var isExtglobType = (c) => types3.has(c);
var isExtglobAST = (c) => isExtglobType(c.type);
var adoptionMap = /* @__PURE__ */ new Map([
  ["!", ["@"]],
  ["?", ["?", "@"]],
  ["@", ["@"]],
  ["*", ["*", "+", "?", "@"]],
  ["+", ["+", "@"]]
]);
var adoptionWithSpaceMap = /* @__PURE__ */ new Map([
  ["!", ["?"]],
  ["@", ["?"]],
  ["+", ["?", "*"]]
]);
var adoptionAnyMap = /* @__PURE__ */ new Map([
  ["!", ["?", "@"]],
  ["?", ["?", "@"]],
  ["@", ["?", "@"]],
  ["*", ["*", "+", "?", "@"]],
  ["+", ["+", "@", "?", "*"]]
]);
var usurpMap = /* @__PURE__ */ new Map([
  ["!", /* @__PURE__ */ new Map([["!", "@"]])],
  [
    "?",
    /* @__PURE__ */ new Map([
      ["*", "*"],
      ["+", "*"]
    ])
  ],
  [
    "@",
    /* @__PURE__ */ new Map([
      ["!", "!"],
      ["?", "?"],
      ["@", "@"],
      ["*", "*"],
      ["+", "+"]
    ])
  ],
  [
    "+",
    /* @__PURE__ */ new Map([
      ["?", "*"],
      ["*", "*"]
    ])
  ]
]);
var startNoTraversal = "(?!(?:^|/)\\.\\.?(?:$|/))";
var startNoDot = "(?!\\.)";
var addPatternStart = /* @__PURE__ */ new Set(["[", "."]);
var justDots = /* @__PURE__ */ new Set(["..", "."]);
var reSpecials = new Set("().*{}+?[]^$\\!");
var regExpEscape = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, "\\$&");
var qmark = "[^/]";
var star = qmark + "*?";
var starNoEmpty = qmark + "+?";
var ID = 0;
var AST = class {
  type;
  #root;
  #hasMagic;
  #uflag = false;
  #parts = [];
  #parent;
  #parentIndex;
  #negs;
  #filledNegs = false;
  #options;
  #toString;
  // set to true if it's an extglob with no children
  // (which really means one child of '')
  #emptyExt = false;
  id = ++ID;
  get depth() {
    return (this.#parent?.depth ?? -1) + 1;
  }
  [/* @__PURE__ */ Symbol.for("nodejs.util.inspect.custom")]() {
    return {
      "@@type": "AST",
      id: this.id,
      type: this.type,
      root: this.#root.id,
      parent: this.#parent?.id,
      depth: this.depth,
      partsLength: this.#parts.length,
      parts: this.#parts
    };
  }
  constructor(type, parent, options = {}) {
    this.type = type;
    if (type)
      this.#hasMagic = true;
    this.#parent = parent;
    this.#root = this.#parent ? this.#parent.#root : this;
    this.#options = this.#root === this ? options : this.#root.#options;
    this.#negs = this.#root === this ? [] : this.#root.#negs;
    if (type === "!" && !this.#root.#filledNegs)
      this.#negs.push(this);
    this.#parentIndex = this.#parent ? this.#parent.#parts.length : 0;
  }
  get hasMagic() {
    if (this.#hasMagic !== void 0)
      return this.#hasMagic;
    for (const p of this.#parts) {
      if (typeof p === "string")
        continue;
      if (p.type || p.hasMagic)
        return this.#hasMagic = true;
    }
    return this.#hasMagic;
  }
  // reconstructs the pattern
  toString() {
    return this.#toString !== void 0 ? this.#toString : !this.type ? this.#toString = this.#parts.map((p) => String(p)).join("") : this.#toString = this.type + "(" + this.#parts.map((p) => String(p)).join("|") + ")";
  }
  #fillNegs() {
    if (this !== this.#root)
      throw new Error("should only call on root");
    if (this.#filledNegs)
      return this;
    this.toString();
    this.#filledNegs = true;
    let n;
    while (n = this.#negs.pop()) {
      if (n.type !== "!")
        continue;
      let p = n;
      let pp = p.#parent;
      while (pp) {
        for (let i = p.#parentIndex + 1; !pp.type && i < pp.#parts.length; i++) {
          for (const part of n.#parts) {
            if (typeof part === "string") {
              throw new Error("string part in extglob AST??");
            }
            part.copyIn(pp.#parts[i]);
          }
        }
        p = pp;
        pp = p.#parent;
      }
    }
    return this;
  }
  push(...parts) {
    for (const p of parts) {
      if (p === "")
        continue;
      if (typeof p !== "string" && !(p instanceof _a && p.#parent === this)) {
        throw new Error("invalid part: " + p);
      }
      this.#parts.push(p);
    }
  }
  toJSON() {
    const ret = this.type === null ? this.#parts.slice().map((p) => typeof p === "string" ? p : p.toJSON()) : [this.type, ...this.#parts.map((p) => p.toJSON())];
    if (this.isStart() && !this.type)
      ret.unshift([]);
    if (this.isEnd() && (this === this.#root || this.#root.#filledNegs && this.#parent?.type === "!")) {
      ret.push({});
    }
    return ret;
  }
  isStart() {
    if (this.#root === this)
      return true;
    if (!this.#parent?.isStart())
      return false;
    if (this.#parentIndex === 0)
      return true;
    const p = this.#parent;
    for (let i = 0; i < this.#parentIndex; i++) {
      const pp = p.#parts[i];
      if (!(pp instanceof _a && pp.type === "!")) {
        return false;
      }
    }
    return true;
  }
  isEnd() {
    if (this.#root === this)
      return true;
    if (this.#parent?.type === "!")
      return true;
    if (!this.#parent?.isEnd())
      return false;
    if (!this.type)
      return this.#parent?.isEnd();
    const pl = this.#parent ? this.#parent.#parts.length : 0;
    return this.#parentIndex === pl - 1;
  }
  copyIn(part) {
    if (typeof part === "string")
      this.push(part);
    else
      this.push(part.clone(this));
  }
  clone(parent) {
    const c = new _a(this.type, parent);
    for (const p of this.#parts) {
      c.copyIn(p);
    }
    return c;
  }
  static #parseAST(str, ast, pos, opt, extDepth) {
    const maxDepth = opt.maxExtglobRecursion ?? 2;
    let escaping = false;
    let inBrace = false;
    let braceStart = -1;
    let braceNeg = false;
    if (ast.type === null) {
      let i2 = pos;
      let acc2 = "";
      while (i2 < str.length) {
        const c = str.charAt(i2++);
        if (escaping || c === "\\") {
          escaping = !escaping;
          acc2 += c;
          continue;
        }
        if (inBrace) {
          if (i2 === braceStart + 1) {
            if (c === "^" || c === "!") {
              braceNeg = true;
            }
          } else if (c === "]" && !(i2 === braceStart + 2 && braceNeg)) {
            inBrace = false;
          }
          acc2 += c;
          continue;
        } else if (c === "[") {
          inBrace = true;
          braceStart = i2;
          braceNeg = false;
          acc2 += c;
          continue;
        }
        const doRecurse = !opt.noext && isExtglobType(c) && str.charAt(i2) === "(" && extDepth <= maxDepth;
        if (doRecurse) {
          ast.push(acc2);
          acc2 = "";
          const ext2 = new _a(c, ast);
          i2 = _a.#parseAST(str, ext2, i2, opt, extDepth + 1);
          ast.push(ext2);
          continue;
        }
        acc2 += c;
      }
      ast.push(acc2);
      return i2;
    }
    let i = pos + 1;
    let part = new _a(null, ast);
    const parts = [];
    let acc = "";
    while (i < str.length) {
      const c = str.charAt(i++);
      if (escaping || c === "\\") {
        escaping = !escaping;
        acc += c;
        continue;
      }
      if (inBrace) {
        if (i === braceStart + 1) {
          if (c === "^" || c === "!") {
            braceNeg = true;
          }
        } else if (c === "]" && !(i === braceStart + 2 && braceNeg)) {
          inBrace = false;
        }
        acc += c;
        continue;
      } else if (c === "[") {
        inBrace = true;
        braceStart = i;
        braceNeg = false;
        acc += c;
        continue;
      }
      const doRecurse = !opt.noext && isExtglobType(c) && str.charAt(i) === "(" && /* c8 ignore start - the maxDepth is sufficient here */
      (extDepth <= maxDepth || ast && ast.#canAdoptType(c));
      if (doRecurse) {
        const depthAdd = ast && ast.#canAdoptType(c) ? 0 : 1;
        part.push(acc);
        acc = "";
        const ext2 = new _a(c, part);
        part.push(ext2);
        i = _a.#parseAST(str, ext2, i, opt, extDepth + depthAdd);
        continue;
      }
      if (c === "|") {
        part.push(acc);
        acc = "";
        parts.push(part);
        part = new _a(null, ast);
        continue;
      }
      if (c === ")") {
        if (acc === "" && ast.#parts.length === 0) {
          ast.#emptyExt = true;
        }
        part.push(acc);
        acc = "";
        ast.push(...parts, part);
        return i;
      }
      acc += c;
    }
    ast.type = null;
    ast.#hasMagic = void 0;
    ast.#parts = [str.substring(pos - 1)];
    return i;
  }
  #canAdoptWithSpace(child) {
    return this.#canAdopt(child, adoptionWithSpaceMap);
  }
  #canAdopt(child, map = adoptionMap) {
    if (!child || typeof child !== "object" || child.type !== null || child.#parts.length !== 1 || this.type === null) {
      return false;
    }
    const gc = child.#parts[0];
    if (!gc || typeof gc !== "object" || gc.type === null) {
      return false;
    }
    return this.#canAdoptType(gc.type, map);
  }
  #canAdoptType(c, map = adoptionAnyMap) {
    return !!map.get(this.type)?.includes(c);
  }
  #adoptWithSpace(child, index) {
    const gc = child.#parts[0];
    const blank = new _a(null, gc, this.options);
    blank.#parts.push("");
    gc.push(blank);
    this.#adopt(child, index);
  }
  #adopt(child, index) {
    const gc = child.#parts[0];
    this.#parts.splice(index, 1, ...gc.#parts);
    for (const p of gc.#parts) {
      if (typeof p === "object")
        p.#parent = this;
    }
    this.#toString = void 0;
  }
  #canUsurpType(c) {
    const m = usurpMap.get(this.type);
    return !!m?.has(c);
  }
  #canUsurp(child) {
    if (!child || typeof child !== "object" || child.type !== null || child.#parts.length !== 1 || this.type === null || this.#parts.length !== 1) {
      return false;
    }
    const gc = child.#parts[0];
    if (!gc || typeof gc !== "object" || gc.type === null) {
      return false;
    }
    return this.#canUsurpType(gc.type);
  }
  #usurp(child) {
    const m = usurpMap.get(this.type);
    const gc = child.#parts[0];
    const nt2 = m?.get(gc.type);
    if (!nt2)
      return false;
    this.#parts = gc.#parts;
    for (const p of this.#parts) {
      if (typeof p === "object") {
        p.#parent = this;
      }
    }
    this.type = nt2;
    this.#toString = void 0;
    this.#emptyExt = false;
  }
  static fromGlob(pattern, options = {}) {
    const ast = new _a(null, void 0, options);
    _a.#parseAST(pattern, ast, 0, options, 0);
    return ast;
  }
  // returns the regular expression if there's magic, or the unescaped
  // string if not.
  toMMPattern() {
    if (this !== this.#root)
      return this.#root.toMMPattern();
    const glob = this.toString();
    const [re, body, hasMagic, uflag] = this.toRegExpSource();
    const anyMagic = hasMagic || this.#hasMagic || this.#options.nocase && !this.#options.nocaseMagicOnly && glob.toUpperCase() !== glob.toLowerCase();
    if (!anyMagic) {
      return body;
    }
    const flags = (this.#options.nocase ? "i" : "") + (uflag ? "u" : "");
    return Object.assign(new RegExp(`^${re}$`, flags), {
      _src: re,
      _glob: glob
    });
  }
  get options() {
    return this.#options;
  }
  // returns the string match, the regexp source, whether there's magic
  // in the regexp (so a regular expression is required) and whether or
  // not the uflag is needed for the regular expression (for posix classes)
  // TODO: instead of injecting the start/end at this point, just return
  // the BODY of the regexp, along with the start/end portions suitable
  // for binding the start/end in either a joined full-path makeRe context
  // (where we bind to (^|/), or a standalone matchPart context (where
  // we bind to ^, and not /).  Otherwise slashes get duped!
  //
  // In part-matching mode, the start is:
  // - if not isStart: nothing
  // - if traversal possible, but not allowed: ^(?!\.\.?$)
  // - if dots allowed or not possible: ^
  // - if dots possible and not allowed: ^(?!\.)
  // end is:
  // - if not isEnd(): nothing
  // - else: $
  //
  // In full-path matching mode, we put the slash at the START of the
  // pattern, so start is:
  // - if first pattern: same as part-matching mode
  // - if not isStart(): nothing
  // - if traversal possible, but not allowed: /(?!\.\.?(?:$|/))
  // - if dots allowed or not possible: /
  // - if dots possible and not allowed: /(?!\.)
  // end is:
  // - if last pattern, same as part-matching mode
  // - else nothing
  //
  // Always put the (?:$|/) on negated tails, though, because that has to be
  // there to bind the end of the negated pattern portion, and it's easier to
  // just stick it in now rather than try to inject it later in the middle of
  // the pattern.
  //
  // We can just always return the same end, and leave it up to the caller
  // to know whether it's going to be used joined or in parts.
  // And, if the start is adjusted slightly, can do the same there:
  // - if not isStart: nothing
  // - if traversal possible, but not allowed: (?:/|^)(?!\.\.?$)
  // - if dots allowed or not possible: (?:/|^)
  // - if dots possible and not allowed: (?:/|^)(?!\.)
  //
  // But it's better to have a simpler binding without a conditional, for
  // performance, so probably better to return both start options.
  //
  // Then the caller just ignores the end if it's not the first pattern,
  // and the start always gets applied.
  //
  // But that's always going to be $ if it's the ending pattern, or nothing,
  // so the caller can just attach $ at the end of the pattern when building.
  //
  // So the todo is:
  // - better detect what kind of start is needed
  // - return both flavors of starting pattern
  // - attach $ at the end of the pattern when creating the actual RegExp
  //
  // Ah, but wait, no, that all only applies to the root when the first pattern
  // is not an extglob. If the first pattern IS an extglob, then we need all
  // that dot prevention biz to live in the extglob portions, because eg
  // +(*|.x*) can match .xy but not .yx.
  //
  // So, return the two flavors if it's #root and the first child is not an
  // AST, otherwise leave it to the child AST to handle it, and there,
  // use the (?:^|/) style of start binding.
  //
  // Even simplified further:
  // - Since the start for a join is eg /(?!\.) and the start for a part
  // is ^(?!\.), we can just prepend (?!\.) to the pattern (either root
  // or start or whatever) and prepend ^ or / at the Regexp construction.
  toRegExpSource(allowDot) {
    const dot = allowDot ?? !!this.#options.dot;
    if (this.#root === this) {
      this.#flatten();
      this.#fillNegs();
    }
    if (!isExtglobAST(this)) {
      const noEmpty = this.isStart() && this.isEnd() && !this.#parts.some((s) => typeof s !== "string");
      const src = this.#parts.map((p) => {
        const [re, _2, hasMagic, uflag] = typeof p === "string" ? _a.#parseGlob(p, this.#hasMagic, noEmpty) : p.toRegExpSource(allowDot);
        this.#hasMagic = this.#hasMagic || hasMagic;
        this.#uflag = this.#uflag || uflag;
        return re;
      }).join("");
      let start2 = "";
      if (this.isStart()) {
        if (typeof this.#parts[0] === "string") {
          const dotTravAllowed = this.#parts.length === 1 && justDots.has(this.#parts[0]);
          if (!dotTravAllowed) {
            const aps = addPatternStart;
            const needNoTrav = (
              // dots are allowed, and the pattern starts with [ or .
              dot && aps.has(src.charAt(0)) || // the pattern starts with \., and then [ or .
              src.startsWith("\\.") && aps.has(src.charAt(2)) || // the pattern starts with \.\., and then [ or .
              src.startsWith("\\.\\.") && aps.has(src.charAt(4))
            );
            const needNoDot = !dot && !allowDot && aps.has(src.charAt(0));
            start2 = needNoTrav ? startNoTraversal : needNoDot ? startNoDot : "";
          }
        }
      }
      let end = "";
      if (this.isEnd() && this.#root.#filledNegs && this.#parent?.type === "!") {
        end = "(?:$|\\/)";
      }
      const final2 = start2 + src + end;
      return [
        final2,
        unescape(src),
        this.#hasMagic = !!this.#hasMagic,
        this.#uflag
      ];
    }
    const repeated = this.type === "*" || this.type === "+";
    const start = this.type === "!" ? "(?:(?!(?:" : "(?:";
    let body = this.#partsToRegExp(dot);
    if (this.isStart() && this.isEnd() && !body && this.type !== "!") {
      const s = this.toString();
      const me2 = this;
      me2.#parts = [s];
      me2.type = null;
      me2.#hasMagic = void 0;
      return [s, unescape(this.toString()), false, false];
    }
    let bodyDotAllowed = !repeated || allowDot || dot || !startNoDot ? "" : this.#partsToRegExp(true);
    if (bodyDotAllowed === body) {
      bodyDotAllowed = "";
    }
    if (bodyDotAllowed) {
      body = `(?:${body})(?:${bodyDotAllowed})*?`;
    }
    let final = "";
    if (this.type === "!" && this.#emptyExt) {
      final = (this.isStart() && !dot ? startNoDot : "") + starNoEmpty;
    } else {
      const close = this.type === "!" ? (
        // !() must match something,but !(x) can match ''
        "))" + (this.isStart() && !dot && !allowDot ? startNoDot : "") + star + ")"
      ) : this.type === "@" ? ")" : this.type === "?" ? ")?" : this.type === "+" && bodyDotAllowed ? ")" : this.type === "*" && bodyDotAllowed ? `)?` : `)${this.type}`;
      final = start + body + close;
    }
    return [
      final,
      unescape(body),
      this.#hasMagic = !!this.#hasMagic,
      this.#uflag
    ];
  }
  #flatten() {
    if (!isExtglobAST(this)) {
      for (const p of this.#parts) {
        if (typeof p === "object") {
          p.#flatten();
        }
      }
    } else {
      let iterations = 0;
      let done = false;
      do {
        done = true;
        for (let i = 0; i < this.#parts.length; i++) {
          const c = this.#parts[i];
          if (typeof c === "object") {
            c.#flatten();
            if (this.#canAdopt(c)) {
              done = false;
              this.#adopt(c, i);
            } else if (this.#canAdoptWithSpace(c)) {
              done = false;
              this.#adoptWithSpace(c, i);
            } else if (this.#canUsurp(c)) {
              done = false;
              this.#usurp(c);
            }
          }
        }
      } while (!done && ++iterations < 10);
    }
    this.#toString = void 0;
  }
  #partsToRegExp(dot) {
    return this.#parts.map((p) => {
      if (typeof p === "string") {
        throw new Error("string type in extglob ast??");
      }
      const [re, _2, _hasMagic, uflag] = p.toRegExpSource(dot);
      this.#uflag = this.#uflag || uflag;
      return re;
    }).filter((p) => !(this.isStart() && this.isEnd()) || !!p).join("|");
  }
  static #parseGlob(glob, hasMagic, noEmpty = false) {
    let escaping = false;
    let re = "";
    let uflag = false;
    let inStar = false;
    for (let i = 0; i < glob.length; i++) {
      const c = glob.charAt(i);
      if (escaping) {
        escaping = false;
        re += (reSpecials.has(c) ? "\\" : "") + c;
        continue;
      }
      if (c === "*") {
        if (inStar)
          continue;
        inStar = true;
        re += noEmpty && /^[*]+$/.test(glob) ? starNoEmpty : star;
        hasMagic = true;
        continue;
      } else {
        inStar = false;
      }
      if (c === "\\") {
        if (i === glob.length - 1) {
          re += "\\\\";
        } else {
          escaping = true;
        }
        continue;
      }
      if (c === "[") {
        const [src, needUflag, consumed, magic] = parseClass(glob, i);
        if (consumed) {
          re += src;
          uflag = uflag || needUflag;
          i += consumed - 1;
          hasMagic = hasMagic || magic;
          continue;
        }
      }
      if (c === "?") {
        re += qmark;
        hasMagic = true;
        continue;
      }
      re += regExpEscape(c);
    }
    return [re, unescape(glob), !!hasMagic, uflag];
  }
};
_a = AST;

// node_modules/@actions/glob/node_modules/minimatch/dist/esm/escape.js
var escape = (s, { windowsPathsNoEscape = false, magicalBraces = false } = {}) => {
  if (magicalBraces) {
    return windowsPathsNoEscape ? s.replace(/[?*()[\]{}]/g, "[$&]") : s.replace(/[?*()[\]\\{}]/g, "\\$&");
  }
  return windowsPathsNoEscape ? s.replace(/[?*()[\]]/g, "[$&]") : s.replace(/[?*()[\]\\]/g, "\\$&");
};

// node_modules/@actions/glob/node_modules/minimatch/dist/esm/index.js
var minimatch = (p, pattern, options = {}) => {
  assertValidPattern(pattern);
  if (!options.nocomment && pattern.charAt(0) === "#") {
    return false;
  }
  return new Minimatch(pattern, options).match(p);
};
var starDotExtRE = /^\*+([^+@!?*[(]*)$/;
var starDotExtTest = (ext2) => (f) => !f.startsWith(".") && f.endsWith(ext2);
var starDotExtTestDot = (ext2) => (f) => f.endsWith(ext2);
var starDotExtTestNocase = (ext2) => {
  ext2 = ext2.toLowerCase();
  return (f) => !f.startsWith(".") && f.toLowerCase().endsWith(ext2);
};
var starDotExtTestNocaseDot = (ext2) => {
  ext2 = ext2.toLowerCase();
  return (f) => f.toLowerCase().endsWith(ext2);
};
var starDotStarRE = /^\*+\.\*+$/;
var starDotStarTest = (f) => !f.startsWith(".") && f.includes(".");
var starDotStarTestDot = (f) => f !== "." && f !== ".." && f.includes(".");
var dotStarRE = /^\.\*+$/;
var dotStarTest = (f) => f !== "." && f !== ".." && f.startsWith(".");
var starRE = /^\*+$/;
var starTest = (f) => f.length !== 0 && !f.startsWith(".");
var starTestDot = (f) => f.length !== 0 && f !== "." && f !== "..";
var qmarksRE = /^\?+([^+@!?*[(]*)?$/;
var qmarksTestNocase = ([$0, ext2 = ""]) => {
  const noext = qmarksTestNoExt([$0]);
  if (!ext2)
    return noext;
  ext2 = ext2.toLowerCase();
  return (f) => noext(f) && f.toLowerCase().endsWith(ext2);
};
var qmarksTestNocaseDot = ([$0, ext2 = ""]) => {
  const noext = qmarksTestNoExtDot([$0]);
  if (!ext2)
    return noext;
  ext2 = ext2.toLowerCase();
  return (f) => noext(f) && f.toLowerCase().endsWith(ext2);
};
var qmarksTestDot = ([$0, ext2 = ""]) => {
  const noext = qmarksTestNoExtDot([$0]);
  return !ext2 ? noext : (f) => noext(f) && f.endsWith(ext2);
};
var qmarksTest = ([$0, ext2 = ""]) => {
  const noext = qmarksTestNoExt([$0]);
  return !ext2 ? noext : (f) => noext(f) && f.endsWith(ext2);
};
var qmarksTestNoExt = ([$0]) => {
  const len = $0.length;
  return (f) => f.length === len && !f.startsWith(".");
};
var qmarksTestNoExtDot = ([$0]) => {
  const len = $0.length;
  return (f) => f.length === len && f !== "." && f !== "..";
};
var defaultPlatform = typeof process === "object" && process ? typeof process.env === "object" && process.env && process.env.__MINIMATCH_TESTING_PLATFORM__ || process.platform : "posix";
var path2 = {
  win32: { sep: "\\" },
  posix: { sep: "/" }
};
var sep2 = defaultPlatform === "win32" ? path2.win32.sep : path2.posix.sep;
minimatch.sep = sep2;
var GLOBSTAR = /* @__PURE__ */ Symbol("globstar **");
minimatch.GLOBSTAR = GLOBSTAR;
var qmark2 = "[^/]";
var star2 = qmark2 + "*?";
var twoStarDot = "(?:(?!(?:\\/|^)(?:\\.{1,2})($|\\/)).)*?";
var twoStarNoDot = "(?:(?!(?:\\/|^)\\.).)*?";
var filter = (pattern, options = {}) => (p) => minimatch(p, pattern, options);
minimatch.filter = filter;
var ext = (a, b = {}) => Object.assign({}, a, b);
var defaults = (def) => {
  if (!def || typeof def !== "object" || !Object.keys(def).length) {
    return minimatch;
  }
  const orig = minimatch;
  const m = (p, pattern, options = {}) => orig(p, pattern, ext(def, options));
  return Object.assign(m, {
    Minimatch: class Minimatch extends orig.Minimatch {
      constructor(pattern, options = {}) {
        super(pattern, ext(def, options));
      }
      static defaults(options) {
        return orig.defaults(ext(def, options)).Minimatch;
      }
    },
    AST: class AST extends orig.AST {
      /* c8 ignore start */
      constructor(type, parent, options = {}) {
        super(type, parent, ext(def, options));
      }
      /* c8 ignore stop */
      static fromGlob(pattern, options = {}) {
        return orig.AST.fromGlob(pattern, ext(def, options));
      }
    },
    unescape: (s, options = {}) => orig.unescape(s, ext(def, options)),
    escape: (s, options = {}) => orig.escape(s, ext(def, options)),
    filter: (pattern, options = {}) => orig.filter(pattern, ext(def, options)),
    defaults: (options) => orig.defaults(ext(def, options)),
    makeRe: (pattern, options = {}) => orig.makeRe(pattern, ext(def, options)),
    braceExpand: (pattern, options = {}) => orig.braceExpand(pattern, ext(def, options)),
    match: (list, pattern, options = {}) => orig.match(list, pattern, ext(def, options)),
    sep: orig.sep,
    GLOBSTAR
  });
};
minimatch.defaults = defaults;
var braceExpand = (pattern, options = {}) => {
  assertValidPattern(pattern);
  if (options.nobrace || !/\{(?:(?!\{).)*\}/.test(pattern)) {
    return [pattern];
  }
  return expand(pattern, { max: options.braceExpandMax });
};
minimatch.braceExpand = braceExpand;
var makeRe = (pattern, options = {}) => new Minimatch(pattern, options).makeRe();
minimatch.makeRe = makeRe;
var match2 = (list, pattern, options = {}) => {
  const mm = new Minimatch(pattern, options);
  list = list.filter((f) => mm.match(f));
  if (mm.options.nonull && !list.length) {
    list.push(pattern);
  }
  return list;
};
minimatch.match = match2;
var globMagic = /[?*]|[+@!]\(.*?\)|\[|\]/;
var regExpEscape2 = (s) => s.replace(/[-[\]{}()*+?.,\\^$|#\s]/g, "\\$&");
var Minimatch = class {
  options;
  set;
  pattern;
  windowsPathsNoEscape;
  nonegate;
  negate;
  comment;
  empty;
  preserveMultipleSlashes;
  partial;
  globSet;
  globParts;
  nocase;
  isWindows;
  platform;
  windowsNoMagicRoot;
  maxGlobstarRecursion;
  regexp;
  constructor(pattern, options = {}) {
    assertValidPattern(pattern);
    options = options || {};
    this.options = options;
    this.maxGlobstarRecursion = options.maxGlobstarRecursion ?? 200;
    this.pattern = pattern;
    this.platform = options.platform || defaultPlatform;
    this.isWindows = this.platform === "win32";
    const awe = "allowWindowsEscape";
    this.windowsPathsNoEscape = !!options.windowsPathsNoEscape || options[awe] === false;
    if (this.windowsPathsNoEscape) {
      this.pattern = this.pattern.replace(/\\/g, "/");
    }
    this.preserveMultipleSlashes = !!options.preserveMultipleSlashes;
    this.regexp = null;
    this.negate = false;
    this.nonegate = !!options.nonegate;
    this.comment = false;
    this.empty = false;
    this.partial = !!options.partial;
    this.nocase = !!this.options.nocase;
    this.windowsNoMagicRoot = options.windowsNoMagicRoot !== void 0 ? options.windowsNoMagicRoot : !!(this.isWindows && this.nocase);
    this.globSet = [];
    this.globParts = [];
    this.set = [];
    this.make();
  }
  hasMagic() {
    if (this.options.magicalBraces && this.set.length > 1) {
      return true;
    }
    for (const pattern of this.set) {
      for (const part of pattern) {
        if (typeof part !== "string")
          return true;
      }
    }
    return false;
  }
  debug(..._2) {
  }
  make() {
    const pattern = this.pattern;
    const options = this.options;
    if (!options.nocomment && pattern.charAt(0) === "#") {
      this.comment = true;
      return;
    }
    if (!pattern) {
      this.empty = true;
      return;
    }
    this.parseNegate();
    this.globSet = [...new Set(this.braceExpand())];
    if (options.debug) {
      this.debug = (...args) => console.error(...args);
    }
    this.debug(this.pattern, this.globSet);
    const rawGlobParts = this.globSet.map((s) => this.slashSplit(s));
    this.globParts = this.preprocess(rawGlobParts);
    this.debug(this.pattern, this.globParts);
    let set = this.globParts.map((s, _2, __) => {
      if (this.isWindows && this.windowsNoMagicRoot) {
        const isUNC = s[0] === "" && s[1] === "" && (s[2] === "?" || !globMagic.test(s[2])) && !globMagic.test(s[3]);
        const isDrive = /^[a-z]:/i.test(s[0]);
        if (isUNC) {
          return [
            ...s.slice(0, 4),
            ...s.slice(4).map((ss) => this.parse(ss))
          ];
        } else if (isDrive) {
          return [s[0], ...s.slice(1).map((ss) => this.parse(ss))];
        }
      }
      return s.map((ss) => this.parse(ss));
    });
    this.debug(this.pattern, set);
    this.set = set.filter((s) => s.indexOf(false) === -1);
    if (this.isWindows) {
      for (let i = 0; i < this.set.length; i++) {
        const p = this.set[i];
        if (p[0] === "" && p[1] === "" && this.globParts[i][2] === "?" && typeof p[3] === "string" && /^[a-z]:$/i.test(p[3])) {
          p[2] = "?";
        }
      }
    }
    this.debug(this.pattern, this.set);
  }
  // various transforms to equivalent pattern sets that are
  // faster to process in a filesystem walk.  The goal is to
  // eliminate what we can, and push all ** patterns as far
  // to the right as possible, even if it increases the number
  // of patterns that we have to process.
  preprocess(globParts) {
    if (this.options.noglobstar) {
      for (const partset of globParts) {
        for (let j = 0; j < partset.length; j++) {
          if (partset[j] === "**") {
            partset[j] = "*";
          }
        }
      }
    }
    const { optimizationLevel = 1 } = this.options;
    if (optimizationLevel >= 2) {
      globParts = this.firstPhasePreProcess(globParts);
      globParts = this.secondPhasePreProcess(globParts);
    } else if (optimizationLevel >= 1) {
      globParts = this.levelOneOptimize(globParts);
    } else {
      globParts = this.adjascentGlobstarOptimize(globParts);
    }
    return globParts;
  }
  // just get rid of adjascent ** portions
  adjascentGlobstarOptimize(globParts) {
    return globParts.map((parts) => {
      let gs = -1;
      while (-1 !== (gs = parts.indexOf("**", gs + 1))) {
        let i = gs;
        while (parts[i + 1] === "**") {
          i++;
        }
        if (i !== gs) {
          parts.splice(gs, i - gs);
        }
      }
      return parts;
    });
  }
  // get rid of adjascent ** and resolve .. portions
  levelOneOptimize(globParts) {
    return globParts.map((parts) => {
      parts = parts.reduce((set, part) => {
        const prev = set[set.length - 1];
        if (part === "**" && prev === "**") {
          return set;
        }
        if (part === "..") {
          if (prev && prev !== ".." && prev !== "." && prev !== "**") {
            set.pop();
            return set;
          }
        }
        set.push(part);
        return set;
      }, []);
      return parts.length === 0 ? [""] : parts;
    });
  }
  levelTwoFileOptimize(parts) {
    if (!Array.isArray(parts)) {
      parts = this.slashSplit(parts);
    }
    let didSomething = false;
    do {
      didSomething = false;
      if (!this.preserveMultipleSlashes) {
        for (let i = 1; i < parts.length - 1; i++) {
          const p = parts[i];
          if (i === 1 && p === "" && parts[0] === "")
            continue;
          if (p === "." || p === "") {
            didSomething = true;
            parts.splice(i, 1);
            i--;
          }
        }
        if (parts[0] === "." && parts.length === 2 && (parts[1] === "." || parts[1] === "")) {
          didSomething = true;
          parts.pop();
        }
      }
      let dd = 0;
      while (-1 !== (dd = parts.indexOf("..", dd + 1))) {
        const p = parts[dd - 1];
        if (p && p !== "." && p !== ".." && p !== "**" && !(this.isWindows && /^[a-z]:$/i.test(p))) {
          didSomething = true;
          parts.splice(dd - 1, 2);
          dd -= 2;
        }
      }
    } while (didSomething);
    return parts.length === 0 ? [""] : parts;
  }
  // First phase: single-pattern processing
  // <pre> is 1 or more portions
  // <rest> is 1 or more portions
  // <p> is any portion other than ., .., '', or **
  // <e> is . or ''
  //
  // **/.. is *brutal* for filesystem walking performance, because
  // it effectively resets the recursive walk each time it occurs,
  // and ** cannot be reduced out by a .. pattern part like a regexp
  // or most strings (other than .., ., and '') can be.
  //
  // <pre>/**/../<p>/<p>/<rest> -> {<pre>/../<p>/<p>/<rest>,<pre>/**/<p>/<p>/<rest>}
  // <pre>/<e>/<rest> -> <pre>/<rest>
  // <pre>/<p>/../<rest> -> <pre>/<rest>
  // **/**/<rest> -> **/<rest>
  //
  // **/*/<rest> -> */**/<rest> <== not valid because ** doesn't follow
  // this WOULD be allowed if ** did follow symlinks, or * didn't
  firstPhasePreProcess(globParts) {
    let didSomething = false;
    do {
      didSomething = false;
      for (let parts of globParts) {
        let gs = -1;
        while (-1 !== (gs = parts.indexOf("**", gs + 1))) {
          let gss = gs;
          while (parts[gss + 1] === "**") {
            gss++;
          }
          if (gss > gs) {
            parts.splice(gs + 1, gss - gs);
          }
          let next = parts[gs + 1];
          const p = parts[gs + 2];
          const p2 = parts[gs + 3];
          if (next !== "..")
            continue;
          if (!p || p === "." || p === ".." || !p2 || p2 === "." || p2 === "..") {
            continue;
          }
          didSomething = true;
          parts.splice(gs, 1);
          const other = parts.slice(0);
          other[gs] = "**";
          globParts.push(other);
          gs--;
        }
        if (!this.preserveMultipleSlashes) {
          for (let i = 1; i < parts.length - 1; i++) {
            const p = parts[i];
            if (i === 1 && p === "" && parts[0] === "")
              continue;
            if (p === "." || p === "") {
              didSomething = true;
              parts.splice(i, 1);
              i--;
            }
          }
          if (parts[0] === "." && parts.length === 2 && (parts[1] === "." || parts[1] === "")) {
            didSomething = true;
            parts.pop();
          }
        }
        let dd = 0;
        while (-1 !== (dd = parts.indexOf("..", dd + 1))) {
          const p = parts[dd - 1];
          if (p && p !== "." && p !== ".." && p !== "**") {
            didSomething = true;
            const needDot = dd === 1 && parts[dd + 1] === "**";
            const splin = needDot ? ["."] : [];
            parts.splice(dd - 1, 2, ...splin);
            if (parts.length === 0)
              parts.push("");
            dd -= 2;
          }
        }
      }
    } while (didSomething);
    return globParts;
  }
  // second phase: multi-pattern dedupes
  // {<pre>/*/<rest>,<pre>/<p>/<rest>} -> <pre>/*/<rest>
  // {<pre>/<rest>,<pre>/<rest>} -> <pre>/<rest>
  // {<pre>/**/<rest>,<pre>/<rest>} -> <pre>/**/<rest>
  //
  // {<pre>/**/<rest>,<pre>/**/<p>/<rest>} -> <pre>/**/<rest>
  // ^-- not valid because ** doens't follow symlinks
  secondPhasePreProcess(globParts) {
    for (let i = 0; i < globParts.length - 1; i++) {
      for (let j = i + 1; j < globParts.length; j++) {
        const matched = this.partsMatch(globParts[i], globParts[j], !this.preserveMultipleSlashes);
        if (matched) {
          globParts[i] = [];
          globParts[j] = matched;
          break;
        }
      }
    }
    return globParts.filter((gs) => gs.length);
  }
  partsMatch(a, b, emptyGSMatch = false) {
    let ai = 0;
    let bi = 0;
    let result = [];
    let which2 = "";
    while (ai < a.length && bi < b.length) {
      if (a[ai] === b[bi]) {
        result.push(which2 === "b" ? b[bi] : a[ai]);
        ai++;
        bi++;
      } else if (emptyGSMatch && a[ai] === "**" && b[bi] === a[ai + 1]) {
        result.push(a[ai]);
        ai++;
      } else if (emptyGSMatch && b[bi] === "**" && a[ai] === b[bi + 1]) {
        result.push(b[bi]);
        bi++;
      } else if (a[ai] === "*" && b[bi] && (this.options.dot || !b[bi].startsWith(".")) && b[bi] !== "**") {
        if (which2 === "b")
          return false;
        which2 = "a";
        result.push(a[ai]);
        ai++;
        bi++;
      } else if (b[bi] === "*" && a[ai] && (this.options.dot || !a[ai].startsWith(".")) && a[ai] !== "**") {
        if (which2 === "a")
          return false;
        which2 = "b";
        result.push(b[bi]);
        ai++;
        bi++;
      } else {
        return false;
      }
    }
    return a.length === b.length && result;
  }
  parseNegate() {
    if (this.nonegate)
      return;
    const pattern = this.pattern;
    let negate = false;
    let negateOffset = 0;
    for (let i = 0; i < pattern.length && pattern.charAt(i) === "!"; i++) {
      negate = !negate;
      negateOffset++;
    }
    if (negateOffset)
      this.pattern = pattern.slice(negateOffset);
    this.negate = negate;
  }
  // set partial to true to test if, for example,
  // "/a/b" matches the start of "/*/b/*/d"
  // Partial means, if you run out of file before you run
  // out of pattern, then that's fine, as long as all
  // the parts match.
  matchOne(file, pattern, partial = false) {
    let fileStartIndex = 0;
    let patternStartIndex = 0;
    if (this.isWindows) {
      const fileDrive = typeof file[0] === "string" && /^[a-z]:$/i.test(file[0]);
      const fileUNC = !fileDrive && file[0] === "" && file[1] === "" && file[2] === "?" && /^[a-z]:$/i.test(file[3]);
      const patternDrive = typeof pattern[0] === "string" && /^[a-z]:$/i.test(pattern[0]);
      const patternUNC = !patternDrive && pattern[0] === "" && pattern[1] === "" && pattern[2] === "?" && typeof pattern[3] === "string" && /^[a-z]:$/i.test(pattern[3]);
      const fdi = fileUNC ? 3 : fileDrive ? 0 : void 0;
      const pdi = patternUNC ? 3 : patternDrive ? 0 : void 0;
      if (typeof fdi === "number" && typeof pdi === "number") {
        const [fd, pd] = [
          file[fdi],
          pattern[pdi]
        ];
        if (fd.toLowerCase() === pd.toLowerCase()) {
          pattern[pdi] = fd;
          patternStartIndex = pdi;
          fileStartIndex = fdi;
        }
      }
    }
    const { optimizationLevel = 1 } = this.options;
    if (optimizationLevel >= 2) {
      file = this.levelTwoFileOptimize(file);
    }
    if (pattern.includes(GLOBSTAR)) {
      return this.#matchGlobstar(file, pattern, partial, fileStartIndex, patternStartIndex);
    }
    return this.#matchOne(file, pattern, partial, fileStartIndex, patternStartIndex);
  }
  #matchGlobstar(file, pattern, partial, fileIndex, patternIndex) {
    const firstgs = pattern.indexOf(GLOBSTAR, patternIndex);
    const lastgs = pattern.lastIndexOf(GLOBSTAR);
    const [head, body, tail] = partial ? [
      pattern.slice(patternIndex, firstgs),
      pattern.slice(firstgs + 1),
      []
    ] : [
      pattern.slice(patternIndex, firstgs),
      pattern.slice(firstgs + 1, lastgs),
      pattern.slice(lastgs + 1)
    ];
    if (head.length) {
      const fileHead = file.slice(fileIndex, fileIndex + head.length);
      if (!this.#matchOne(fileHead, head, partial, 0, 0)) {
        return false;
      }
      fileIndex += head.length;
      patternIndex += head.length;
    }
    let fileTailMatch = 0;
    if (tail.length) {
      if (tail.length + fileIndex > file.length)
        return false;
      let tailStart = file.length - tail.length;
      if (this.#matchOne(file, tail, partial, tailStart, 0)) {
        fileTailMatch = tail.length;
      } else {
        if (file[file.length - 1] !== "" || fileIndex + tail.length === file.length) {
          return false;
        }
        tailStart--;
        if (!this.#matchOne(file, tail, partial, tailStart, 0)) {
          return false;
        }
        fileTailMatch = tail.length + 1;
      }
    }
    if (!body.length) {
      let sawSome = !!fileTailMatch;
      for (let i2 = fileIndex; i2 < file.length - fileTailMatch; i2++) {
        const f = String(file[i2]);
        sawSome = true;
        if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
          return false;
        }
      }
      return partial || sawSome;
    }
    const bodySegments = [[[], 0]];
    let currentBody = bodySegments[0];
    let nonGsParts = 0;
    const nonGsPartsSums = [0];
    for (const b of body) {
      if (b === GLOBSTAR) {
        nonGsPartsSums.push(nonGsParts);
        currentBody = [[], 0];
        bodySegments.push(currentBody);
      } else {
        currentBody[0].push(b);
        nonGsParts++;
      }
    }
    let i = bodySegments.length - 1;
    const fileLength = file.length - fileTailMatch;
    for (const b of bodySegments) {
      b[1] = fileLength - (nonGsPartsSums[i--] + b[0].length);
    }
    return !!this.#matchGlobStarBodySections(file, bodySegments, fileIndex, 0, partial, 0, !!fileTailMatch);
  }
  // return false for "nope, not matching"
  // return null for "not matching, cannot keep trying"
  #matchGlobStarBodySections(file, bodySegments, fileIndex, bodyIndex, partial, globStarDepth, sawTail) {
    const bs = bodySegments[bodyIndex];
    if (!bs) {
      for (let i = fileIndex; i < file.length; i++) {
        sawTail = true;
        const f = file[i];
        if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
          return false;
        }
      }
      return sawTail;
    }
    const [body, after] = bs;
    while (fileIndex <= after) {
      const m = this.#matchOne(file.slice(0, fileIndex + body.length), body, partial, fileIndex, 0);
      if (m && globStarDepth < this.maxGlobstarRecursion) {
        const sub = this.#matchGlobStarBodySections(file, bodySegments, fileIndex + body.length, bodyIndex + 1, partial, globStarDepth + 1, sawTail);
        if (sub !== false) {
          return sub;
        }
      }
      const f = file[fileIndex];
      if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) {
        return false;
      }
      fileIndex++;
    }
    return partial || null;
  }
  #matchOne(file, pattern, partial, fileIndex, patternIndex) {
    let fi;
    let pi;
    let pl;
    let fl;
    for (fi = fileIndex, pi = patternIndex, fl = file.length, pl = pattern.length; fi < fl && pi < pl; fi++, pi++) {
      this.debug("matchOne loop");
      let p = pattern[pi];
      let f = file[fi];
      this.debug(pattern, p, f);
      if (p === false || p === GLOBSTAR) {
        return false;
      }
      let hit;
      if (typeof p === "string") {
        hit = f === p;
        this.debug("string match", p, f, hit);
      } else {
        hit = p.test(f);
        this.debug("pattern match", p, f, hit);
      }
      if (!hit)
        return false;
    }
    if (fi === fl && pi === pl) {
      return true;
    } else if (fi === fl) {
      return partial;
    } else if (pi === pl) {
      return fi === fl - 1 && file[fi] === "";
    } else {
      throw new Error("wtf?");
    }
  }
  braceExpand() {
    return braceExpand(this.pattern, this.options);
  }
  parse(pattern) {
    assertValidPattern(pattern);
    const options = this.options;
    if (pattern === "**")
      return GLOBSTAR;
    if (pattern === "")
      return "";
    let m;
    let fastTest = null;
    if (m = pattern.match(starRE)) {
      fastTest = options.dot ? starTestDot : starTest;
    } else if (m = pattern.match(starDotExtRE)) {
      fastTest = (options.nocase ? options.dot ? starDotExtTestNocaseDot : starDotExtTestNocase : options.dot ? starDotExtTestDot : starDotExtTest)(m[1]);
    } else if (m = pattern.match(qmarksRE)) {
      fastTest = (options.nocase ? options.dot ? qmarksTestNocaseDot : qmarksTestNocase : options.dot ? qmarksTestDot : qmarksTest)(m);
    } else if (m = pattern.match(starDotStarRE)) {
      fastTest = options.dot ? starDotStarTestDot : starDotStarTest;
    } else if (m = pattern.match(dotStarRE)) {
      fastTest = dotStarTest;
    }
    const re = AST.fromGlob(pattern, this.options).toMMPattern();
    if (fastTest && typeof re === "object") {
      Reflect.defineProperty(re, "test", { value: fastTest });
    }
    return re;
  }
  makeRe() {
    if (this.regexp || this.regexp === false)
      return this.regexp;
    const set = this.set;
    if (!set.length) {
      this.regexp = false;
      return this.regexp;
    }
    const options = this.options;
    const twoStar = options.noglobstar ? star2 : options.dot ? twoStarDot : twoStarNoDot;
    const flags = new Set(options.nocase ? ["i"] : []);
    let re = set.map((pattern) => {
      const pp = pattern.map((p) => {
        if (p instanceof RegExp) {
          for (const f of p.flags.split(""))
            flags.add(f);
        }
        return typeof p === "string" ? regExpEscape2(p) : p === GLOBSTAR ? GLOBSTAR : p._src;
      });
      pp.forEach((p, i) => {
        const next = pp[i + 1];
        const prev = pp[i - 1];
        if (p !== GLOBSTAR || prev === GLOBSTAR) {
          return;
        }
        if (prev === void 0) {
          if (next !== void 0 && next !== GLOBSTAR) {
            pp[i + 1] = "(?:\\/|" + twoStar + "\\/)?" + next;
          } else {
            pp[i] = twoStar;
          }
        } else if (next === void 0) {
          pp[i - 1] = prev + "(?:\\/|\\/" + twoStar + ")?";
        } else if (next !== GLOBSTAR) {
          pp[i - 1] = prev + "(?:\\/|\\/" + twoStar + "\\/)" + next;
          pp[i + 1] = GLOBSTAR;
        }
      });
      const filtered = pp.filter((p) => p !== GLOBSTAR);
      if (this.partial && filtered.length >= 1) {
        const prefixes = [];
        for (let i = 1; i <= filtered.length; i++) {
          prefixes.push(filtered.slice(0, i).join("/"));
        }
        return "(?:" + prefixes.join("|") + ")";
      }
      return filtered.join("/");
    }).join("|");
    const [open3, close] = set.length > 1 ? ["(?:", ")"] : ["", ""];
    re = "^" + open3 + re + close + "$";
    if (this.partial) {
      re = "^(?:\\/|" + open3 + re.slice(1, -1) + close + ")$";
    }
    if (this.negate)
      re = "^(?!" + re + ").+$";
    try {
      this.regexp = new RegExp(re, [...flags].join(""));
    } catch {
      this.regexp = false;
    }
    return this.regexp;
  }
  slashSplit(p) {
    if (this.preserveMultipleSlashes) {
      return p.split("/");
    } else if (this.isWindows && /^\/\/[^/]+/.test(p)) {
      return ["", ...p.split(/\/+/)];
    } else {
      return p.split(/\/+/);
    }
  }
  match(f, partial = this.partial) {
    this.debug("match", f, this.pattern);
    if (this.comment) {
      return false;
    }
    if (this.empty) {
      return f === "";
    }
    if (f === "/" && partial) {
      return true;
    }
    const options = this.options;
    if (this.isWindows) {
      f = f.split("\\").join("/");
    }
    const ff = this.slashSplit(f);
    this.debug(this.pattern, "split", ff);
    const set = this.set;
    this.debug(this.pattern, "set", set);
    let filename = ff[ff.length - 1];
    if (!filename) {
      for (let i = ff.length - 2; !filename && i >= 0; i--) {
        filename = ff[i];
      }
    }
    for (const pattern of set) {
      let file = ff;
      if (options.matchBase && pattern.length === 1) {
        file = [filename];
      }
      const hit = this.matchOne(file, pattern, partial);
      if (hit) {
        if (options.flipNegate) {
          return true;
        }
        return !this.negate;
      }
    }
    if (options.flipNegate) {
      return false;
    }
    return this.negate;
  }
  static defaults(def) {
    return minimatch.defaults(def).Minimatch;
  }
};
minimatch.AST = AST;
minimatch.Minimatch = Minimatch;
minimatch.escape = escape;
minimatch.unescape = unescape;

// node_modules/@actions/glob/lib/internal-path.js
import * as path3 from "path";
import assert2 from "assert";
var IS_WINDOWS5 = process.platform === "win32";
var Path = class {
  /**
   * Constructs a Path
   * @param itemPath Path or array of segments
   */
  constructor(itemPath) {
    this.segments = [];
    if (typeof itemPath === "string") {
      assert2(itemPath, `Parameter 'itemPath' must not be empty`);
      itemPath = safeTrimTrailingSeparator(itemPath);
      if (!hasRoot(itemPath)) {
        this.segments = itemPath.split(path3.sep);
      } else {
        let remaining = itemPath;
        let dir = dirname2(remaining);
        while (dir !== remaining) {
          const basename4 = path3.basename(remaining);
          this.segments.unshift(basename4);
          remaining = dir;
          dir = dirname2(remaining);
        }
        this.segments.unshift(remaining);
      }
    } else {
      assert2(itemPath.length > 0, `Parameter 'itemPath' must not be an empty array`);
      for (let i = 0; i < itemPath.length; i++) {
        let segment = itemPath[i];
        assert2(segment, `Parameter 'itemPath' must not contain any empty segments`);
        segment = normalizeSeparators(itemPath[i]);
        if (i === 0 && hasRoot(segment)) {
          segment = safeTrimTrailingSeparator(segment);
          assert2(segment === dirname2(segment), `Parameter 'itemPath' root segment contains information for multiple segments`);
          this.segments.push(segment);
        } else {
          assert2(!segment.includes(path3.sep), `Parameter 'itemPath' contains unexpected path separators`);
          this.segments.push(segment);
        }
      }
    }
  }
  /**
   * Converts the path to it's string representation
   */
  toString() {
    let result = this.segments[0];
    let skipSlash = result.endsWith(path3.sep) || IS_WINDOWS5 && /^[A-Z]:$/i.test(result);
    for (let i = 1; i < this.segments.length; i++) {
      if (skipSlash) {
        skipSlash = false;
      } else {
        result += path3.sep;
      }
      result += this.segments[i];
    }
    return result;
  }
};

// node_modules/@actions/glob/lib/internal-pattern.js
var IS_WINDOWS6 = process.platform === "win32";
var Pattern = class _Pattern {
  constructor(patternOrNegate, isImplicitPattern = false, segments, homedir3) {
    this.negate = false;
    let pattern;
    if (typeof patternOrNegate === "string") {
      pattern = patternOrNegate.trim();
    } else {
      segments = segments || [];
      assert3(segments.length, `Parameter 'segments' must not empty`);
      const root = _Pattern.getLiteral(segments[0]);
      assert3(root && hasAbsoluteRoot(root), `Parameter 'segments' first element must be a root path`);
      pattern = new Path(segments).toString().trim();
      if (patternOrNegate) {
        pattern = `!${pattern}`;
      }
    }
    while (pattern.startsWith("!")) {
      this.negate = !this.negate;
      pattern = pattern.substr(1).trim();
    }
    pattern = _Pattern.fixupPattern(pattern, homedir3);
    this.segments = new Path(pattern).segments;
    this.trailingSeparator = normalizeSeparators(pattern).endsWith(path4.sep);
    pattern = safeTrimTrailingSeparator(pattern);
    let foundGlob = false;
    const searchSegments = this.segments.map((x2) => _Pattern.getLiteral(x2)).filter((x2) => !foundGlob && !(foundGlob = x2 === ""));
    this.searchPath = new Path(searchSegments).toString();
    this.rootRegExp = new RegExp(_Pattern.regExpEscape(searchSegments[0]), IS_WINDOWS6 ? "i" : "");
    this.isImplicitPattern = isImplicitPattern;
    const minimatchOptions = {
      dot: true,
      nobrace: true,
      nocase: IS_WINDOWS6,
      nocomment: true,
      noext: true,
      nonegate: true
    };
    pattern = IS_WINDOWS6 ? pattern.replace(/\\/g, "/") : pattern;
    this.minimatch = new Minimatch(pattern, minimatchOptions);
  }
  /**
   * Matches the pattern against the specified path
   */
  match(itemPath) {
    if (this.segments[this.segments.length - 1] === "**") {
      itemPath = normalizeSeparators(itemPath);
      if (!itemPath.endsWith(path4.sep) && this.isImplicitPattern === false) {
        itemPath = `${itemPath}${path4.sep}`;
      }
    } else {
      itemPath = safeTrimTrailingSeparator(itemPath);
    }
    if (this.minimatch.match(itemPath)) {
      return this.trailingSeparator ? MatchKind.Directory : MatchKind.All;
    }
    return MatchKind.None;
  }
  /**
   * Indicates whether the pattern may match descendants of the specified path
   */
  partialMatch(itemPath) {
    itemPath = safeTrimTrailingSeparator(itemPath);
    if (dirname2(itemPath) === itemPath) {
      return this.rootRegExp.test(itemPath);
    }
    return this.minimatch.matchOne(itemPath.split(IS_WINDOWS6 ? /\\+/ : /\/+/), this.minimatch.set[0], true);
  }
  /**
   * Escapes glob patterns within a path
   */
  static globEscape(s) {
    return (IS_WINDOWS6 ? s : s.replace(/\\/g, "\\\\")).replace(/(\[)(?=[^/]+\])/g, "[[]").replace(/\?/g, "[?]").replace(/\*/g, "[*]");
  }
  /**
   * Normalizes slashes and ensures absolute root
   */
  static fixupPattern(pattern, homedir3) {
    assert3(pattern, "pattern cannot be empty");
    const literalSegments = new Path(pattern).segments.map((x2) => _Pattern.getLiteral(x2));
    assert3(literalSegments.every((x2, i) => (x2 !== "." || i === 0) && x2 !== ".."), `Invalid pattern '${pattern}'. Relative pathing '.' and '..' is not allowed.`);
    assert3(!hasRoot(pattern) || literalSegments[0], `Invalid pattern '${pattern}'. Root segment must not contain globs.`);
    pattern = normalizeSeparators(pattern);
    if (pattern === "." || pattern.startsWith(`.${path4.sep}`)) {
      pattern = _Pattern.globEscape(process.cwd()) + pattern.substr(1);
    } else if (pattern === "~" || pattern.startsWith(`~${path4.sep}`)) {
      homedir3 = homedir3 || os5.homedir();
      assert3(homedir3, "Unable to determine HOME directory");
      assert3(hasAbsoluteRoot(homedir3), `Expected HOME directory to be a rooted path. Actual '${homedir3}'`);
      pattern = _Pattern.globEscape(homedir3) + pattern.substr(1);
    } else if (IS_WINDOWS6 && (pattern.match(/^[A-Z]:$/i) || pattern.match(/^[A-Z]:[^\\]/i))) {
      let root = ensureAbsoluteRoot("C:\\dummy-root", pattern.substr(0, 2));
      if (pattern.length > 2 && !root.endsWith("\\")) {
        root += "\\";
      }
      pattern = _Pattern.globEscape(root) + pattern.substr(2);
    } else if (IS_WINDOWS6 && (pattern === "\\" || pattern.match(/^\\[^\\]/))) {
      let root = ensureAbsoluteRoot("C:\\dummy-root", "\\");
      if (!root.endsWith("\\")) {
        root += "\\";
      }
      pattern = _Pattern.globEscape(root) + pattern.substr(1);
    } else {
      pattern = ensureAbsoluteRoot(_Pattern.globEscape(process.cwd()), pattern);
    }
    return normalizeSeparators(pattern);
  }
  /**
   * Attempts to unescape a pattern segment to create a literal path segment.
   * Otherwise returns empty string.
   */
  static getLiteral(segment) {
    let literal = "";
    for (let i = 0; i < segment.length; i++) {
      const c = segment[i];
      if (c === "\\" && !IS_WINDOWS6 && i + 1 < segment.length) {
        literal += segment[++i];
        continue;
      } else if (c === "*" || c === "?") {
        return "";
      } else if (c === "[" && i + 1 < segment.length) {
        let set = "";
        let closed = -1;
        for (let i2 = i + 1; i2 < segment.length; i2++) {
          const c2 = segment[i2];
          if (c2 === "\\" && !IS_WINDOWS6 && i2 + 1 < segment.length) {
            set += segment[++i2];
            continue;
          } else if (c2 === "]") {
            closed = i2;
            break;
          } else {
            set += c2;
          }
        }
        if (closed >= 0) {
          if (set.length > 1) {
            return "";
          }
          if (set) {
            literal += set;
            i = closed;
            continue;
          }
        }
      }
      literal += c;
    }
    return literal;
  }
  /**
   * Escapes regexp special characters
   * https://javascript.info/regexp-escaping
   */
  static regExpEscape(s) {
    return s.replace(/[[\\^$.|?*+()]/g, "\\$&");
  }
};

// node_modules/@actions/glob/lib/internal-search-state.js
var SearchState = class {
  constructor(path6, level) {
    this.path = path6;
    this.level = level;
  }
};

// node_modules/@actions/glob/lib/internal-globber.js
var __awaiter2 = function(thisArg, _arguments, P2, generator) {
  function adopt(value) {
    return value instanceof P2 ? value : new P2(function(resolve5) {
      resolve5(value);
    });
  }
  return new (P2 || (P2 = Promise))(function(resolve5, reject2) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject2(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject2(e);
      }
    }
    function step(result) {
      result.done ? resolve5(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var __asyncValues = function(o) {
  if (!Symbol.asyncIterator) throw new TypeError("Symbol.asyncIterator is not defined.");
  var m = o[Symbol.asyncIterator], i;
  return m ? m.call(o) : (o = typeof __values === "function" ? __values(o) : o[Symbol.iterator](), i = {}, verb("next"), verb("throw"), verb("return"), i[Symbol.asyncIterator] = function() {
    return this;
  }, i);
  function verb(n) {
    i[n] = o[n] && function(v2) {
      return new Promise(function(resolve5, reject2) {
        v2 = o[n](v2), settle(resolve5, reject2, v2.done, v2.value);
      });
    };
  }
  function settle(resolve5, reject2, d, v2) {
    Promise.resolve(v2).then(function(v3) {
      resolve5({ value: v3, done: d });
    }, reject2);
  }
};
var __await = function(v2) {
  return this instanceof __await ? (this.v = v2, this) : new __await(v2);
};
var __asyncGenerator = function(thisArg, _arguments, generator) {
  if (!Symbol.asyncIterator) throw new TypeError("Symbol.asyncIterator is not defined.");
  var g2 = generator.apply(thisArg, _arguments || []), i, q2 = [];
  return i = Object.create((typeof AsyncIterator === "function" ? AsyncIterator : Object).prototype), verb("next"), verb("throw"), verb("return", awaitReturn), i[Symbol.asyncIterator] = function() {
    return this;
  }, i;
  function awaitReturn(f) {
    return function(v2) {
      return Promise.resolve(v2).then(f, reject2);
    };
  }
  function verb(n, f) {
    if (g2[n]) {
      i[n] = function(v2) {
        return new Promise(function(a, b) {
          q2.push([n, v2, a, b]) > 1 || resume(n, v2);
        });
      };
      if (f) i[n] = f(i[n]);
    }
  }
  function resume(n, v2) {
    try {
      step(g2[n](v2));
    } catch (e) {
      settle(q2[0][3], e);
    }
  }
  function step(r) {
    r.value instanceof __await ? Promise.resolve(r.value.v).then(fulfill, reject2) : settle(q2[0][2], r);
  }
  function fulfill(value) {
    resume("next", value);
  }
  function reject2(value) {
    resume("throw", value);
  }
  function settle(f, v2) {
    if (f(v2), q2.shift(), q2.length) resume(q2[0][0], q2[0][1]);
  }
};
var IS_WINDOWS7 = process.platform === "win32";
var DefaultGlobber = class _DefaultGlobber {
  constructor(options) {
    this.patterns = [];
    this.searchPaths = [];
    this.options = getOptions(options);
  }
  getSearchPaths() {
    return this.searchPaths.slice();
  }
  glob() {
    return __awaiter2(this, void 0, void 0, function* () {
      var _a2, e_1, _b, _c;
      const result = [];
      try {
        for (var _d = true, _e2 = __asyncValues(this.globGenerator()), _f; _f = yield _e2.next(), _a2 = _f.done, !_a2; _d = true) {
          _c = _f.value;
          _d = false;
          const itemPath = _c;
          result.push(itemPath);
        }
      } catch (e_1_1) {
        e_1 = { error: e_1_1 };
      } finally {
        try {
          if (!_d && !_a2 && (_b = _e2.return)) yield _b.call(_e2);
        } finally {
          if (e_1) throw e_1.error;
        }
      }
      return result;
    });
  }
  globGenerator() {
    return __asyncGenerator(this, arguments, function* globGenerator_1() {
      const options = getOptions(this.options);
      const patterns = [];
      for (const pattern of this.patterns) {
        patterns.push(pattern);
        if (options.implicitDescendants && (pattern.trailingSeparator || pattern.segments[pattern.segments.length - 1] !== "**")) {
          patterns.push(new Pattern(pattern.negate, true, pattern.segments.concat("**")));
        }
      }
      const stack = [];
      for (const searchPath of getSearchPaths(patterns)) {
        debug(`Search path '${searchPath}'`);
        try {
          yield __await(fs3.promises.lstat(searchPath));
        } catch (err) {
          if (err.code === "ENOENT") {
            continue;
          }
          throw err;
        }
        stack.unshift(new SearchState(searchPath, 1));
      }
      const traversalChain = [];
      while (stack.length) {
        const item = stack.pop();
        const match3 = match(patterns, item.path);
        const partialMatch2 = !!match3 || partialMatch(patterns, item.path);
        if (!match3 && !partialMatch2) {
          continue;
        }
        const stats = yield __await(
          _DefaultGlobber.stat(item, options, traversalChain)
          // Broken symlink, or symlink cycle detected, or no longer exists
        );
        if (!stats) {
          continue;
        }
        if (options.excludeHiddenFiles && path5.basename(item.path).match(/^\./)) {
          continue;
        }
        if (stats.isDirectory()) {
          if (match3 & MatchKind.Directory && options.matchDirectories) {
            yield yield __await(item.path);
          } else if (!partialMatch2) {
            continue;
          }
          const childLevel = item.level + 1;
          const childItems = (yield __await(fs3.promises.readdir(item.path))).map((x2) => new SearchState(path5.join(item.path, x2), childLevel));
          stack.push(...childItems.reverse());
        } else if (match3 & MatchKind.File) {
          yield yield __await(item.path);
        }
      }
    });
  }
  /**
   * Constructs a DefaultGlobber
   */
  static create(patterns, options) {
    return __awaiter2(this, void 0, void 0, function* () {
      const result = new _DefaultGlobber(options);
      if (IS_WINDOWS7) {
        patterns = patterns.replace(/\r\n/g, "\n");
        patterns = patterns.replace(/\r/g, "\n");
      }
      const lines = patterns.split("\n").map((x2) => x2.trim());
      for (const line of lines) {
        if (!line || line.startsWith("#")) {
          continue;
        } else {
          result.patterns.push(new Pattern(line));
        }
      }
      result.searchPaths.push(...getSearchPaths(result.patterns));
      return result;
    });
  }
  static stat(item, options, traversalChain) {
    return __awaiter2(this, void 0, void 0, function* () {
      let stats;
      if (options.followSymbolicLinks) {
        try {
          stats = yield fs3.promises.stat(item.path);
        } catch (err) {
          if (err.code === "ENOENT") {
            if (options.omitBrokenSymbolicLinks) {
              debug(`Broken symlink '${item.path}'`);
              return void 0;
            }
            throw new Error(`No information found for the path '${item.path}'. This may indicate a broken symbolic link.`);
          }
          throw err;
        }
      } else {
        stats = yield fs3.promises.lstat(item.path);
      }
      if (stats.isDirectory() && options.followSymbolicLinks) {
        const realPath = yield fs3.promises.realpath(item.path);
        while (traversalChain.length >= item.level) {
          traversalChain.pop();
        }
        if (traversalChain.some((x2) => x2 === realPath)) {
          debug(`Symlink cycle detected for path '${item.path}' and realpath '${realPath}'`);
          return void 0;
        }
        traversalChain.push(realPath);
      }
      return stats;
    });
  }
};

// node_modules/@actions/glob/lib/glob.js
var __awaiter3 = function(thisArg, _arguments, P2, generator) {
  function adopt(value) {
    return value instanceof P2 ? value : new P2(function(resolve5) {
      resolve5(value);
    });
  }
  return new (P2 || (P2 = Promise))(function(resolve5, reject2) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject2(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject2(e);
      }
    }
    function step(result) {
      result.done ? resolve5(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
function create(patterns, options) {
  return __awaiter3(this, void 0, void 0, function* () {
    return yield DefaultGlobber.create(patterns, options);
  });
}

// src/action/attachments.ts
import { basename as basename3, relative as relative2, resolve as resolve3 } from "node:path";

// src/action/attachment-patterns.ts
import { stat as stat3 } from "node:fs/promises";
import { homedir as homedir2 } from "node:os";
import { dirname as dirname3, isAbsolute as isAbsolute2, resolve as resolve2 } from "node:path";

// src/action/file-boundary.ts
import { constants as constants3 } from "node:fs";
import { open as open2, realpath, stat as stat2 } from "node:fs/promises";
import { isAbsolute, join as join3, relative, resolve, sep as sep5 } from "node:path";
var FileRefusal = class extends Error {
  name = "FileRefusal";
  /** `place`: outside the boundary or into a hidden name; `type`: not an ordinary file. */
  reason;
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
};
async function createBoundary2(path6, description) {
  const absolute = resolve(path6);
  const real = await realpath(absolute).catch((error2) => {
    if (error2?.code === "ENOENT") return absolute;
    throw error2;
  });
  return { path: absolute, real, description };
}
function isWithin(path6, folder) {
  const rest = relative(folder, path6);
  return rest === "" || rest !== ".." && !rest.startsWith(`..${sep5}`) && !isAbsolute(rest);
}
async function resolveWithin(path6, boundary) {
  const absolute = resolve(path6);
  if (!isWithin(absolute, boundary.path)) {
    throw new FileRefusal("place", `it lies outside ${boundary.description}.`);
  }
  const real = await realpath(absolute);
  if (!isWithin(real, boundary.real)) {
    throw new FileRefusal(
      "place",
      `it leads through a symbolic link to ${JSON.stringify(real)}, outside ${boundary.description}.`
    );
  }
  const direct = join3(boundary.real, relative(boundary.path, absolute));
  const hidden = relative(boundary.real, real).split(sep5).some((name) => name.startsWith("."));
  if (real !== direct && hidden) {
    throw new FileRefusal(
      "place",
      `it leads through a symbolic link to ${JSON.stringify(real)}, a hidden file or folder (such as .git, where actions/checkout keeps the job token).`
    );
  }
  return real;
}
function refuseType(info2) {
  return new FileRefusal(
    "type",
    info2.isDirectory() ? "it is a folder, not a regular file." : "it is not a regular file (a named pipe, device or socket): only ordinary files are read."
  );
}
async function measureRegularFile(real) {
  const info2 = await stat2(real);
  if (!info2.isFile()) throw refuseType(info2);
  return info2.size;
}
async function readRegularFile(real, maxBytes) {
  const flags = constants3.O_RDONLY | constants3.O_NOFOLLOW | constants3.O_NONBLOCK;
  const handle = await open2(real, flags);
  try {
    const info2 = await handle.stat();
    if (!info2.isFile()) throw refuseType(info2);
    if (info2.size > maxBytes) throw new FileRefusal("type", `it is larger than ${maxBytes} bytes.`);
    const buffer = Buffer.alloc(info2.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > info2.size) {
      throw new FileRefusal(
        "type",
        "it is not an ordinary file: it reads more data than its size says (a generated file such as those under /proc, or one still being written)."
      );
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

// src/action/attachment-patterns.ts
function isPattern(line) {
  return line !== "" && !line.startsWith("#");
}
function anchorPattern(line, workspace) {
  const negated = /^!+/.exec(line)?.[0] ?? "";
  let rest = line.slice(negated.length).trim();
  if (isAbsolutePattern(rest)) return line;
  while (rest.startsWith("./")) rest = rest.slice(2);
  const root = escapeGlob(workspace.replace(/\/+$/, ""));
  return `${negated}${rest === "." || rest === "" ? root : `${root}/${rest}`}`;
}
function isAbsolutePattern(pattern) {
  return isAbsolute2(pattern) || pattern === "~" || pattern.startsWith("~/");
}
function escapeGlob(path6) {
  return path6.replace(/\\/g, "\\\\").replace(/\[/g, "[[]").replace(/\?/g, "[?]").replace(/\*/g, "[*]");
}
function literalBaseOf(line, home = homedir2()) {
  if (line.startsWith("!")) return void 0;
  const pattern = line.trim();
  if (!isAbsolutePattern(pattern)) return void 0;
  const expanded = pattern.startsWith("~") ? home + pattern.slice(1) : pattern;
  const literal = [];
  for (const segment of expanded.split("/")) {
    const text2 = literalSegment(segment);
    if (text2 === void 0) break;
    literal.push(text2);
  }
  const base = literal.join("/").replace(/\/+$/, "");
  return base === "" ? "/" : base;
}
function literalSegment(segment) {
  let text2 = "";
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] ?? "";
    if (char === "\\" && i + 1 < segment.length) {
      text2 += segment[++i] ?? "";
    } else if (char === "*" || char === "?") {
      return void 0;
    } else if (char === "[") {
      const set = readBracket(segment, i);
      if (set === void 0) {
        text2 += char;
        continue;
      }
      if (set.text.length > 1) return void 0;
      text2 += set.text === "" ? char : set.text;
      i = set.text === "" ? i : set.close;
    } else {
      text2 += char;
    }
  }
  return text2;
}
function readBracket(segment, open3) {
  let text2 = "";
  for (let i = open3 + 1; i < segment.length; i++) {
    const char = segment[i] ?? "";
    if (char === "\\" && i + 1 < segment.length) text2 += segment[++i] ?? "";
    else if (char === "]") return { text: text2, close: i };
    else text2 += char;
  }
  return void 0;
}
async function createBoundaries(lines, workspace) {
  const own = await createBoundary2(workspace, `the workspace (${resolve2(workspace)})`);
  const absolute = [];
  for (const line of lines) {
    const base = literalBaseOf(line);
    if (base === void 0) continue;
    const folder = await stat3(base).then(
      (info2) => info2.isDirectory() ? base : dirname3(base),
      () => void 0
    );
    if (folder === void 0) continue;
    const description = `the folder of the pattern ${JSON.stringify(line)}`;
    absolute.push(await createBoundary2(folder, description));
  }
  return { workspace: own, absolute };
}

// src/action/attachments.ts
async function collectAttachments(settings, workspace) {
  const lines = settings.patterns.map((line) => line.trim()).filter(isPattern);
  if (lines.length === 0) return { attachments: [], paths: [], totalBytes: 0 };
  const files = await matchFiles(lines, workspace);
  if (files.length === 0) {
    reportNoFiles(lines, settings.ifNoFilesFound);
    return { attachments: [], paths: [], totalBytes: 0 };
  }
  checkTotal(files, settings.maxBytes, workspace);
  const attachments = [];
  for (const file of files) {
    const content = await readMatched(file, settings.maxBytes, workspace);
    attachments.push({ filename: basename3(file.path), content });
  }
  const read2 = files.map((file, i) => ({ ...file, size: attachments[i]?.content.length ?? 0 }));
  const totalBytes = checkTotal(read2, settings.maxBytes, workspace);
  return { attachments, paths: files.map((file) => file.path), totalBytes };
}
async function matchFiles(lines, workspace) {
  const globber = await createGlobber(lines, workspace);
  const boundaries = await createBoundaries(lines, workspace);
  const found = /* @__PURE__ */ new Map();
  try {
    for await (const path6 of globber.globGenerator()) {
      if (!found.has(path6)) found.set(path6, await admitFile(path6, boundaries, workspace));
    }
  } catch (error2) {
    if (error2 instanceof ActionInputError) throw error2;
    throw new ActionInputError(
      Inputs.attachments,
      `the search for files stopped: ${describe(error2)}. A symbolic link that loops, or that leads to a folder the runner cannot read, stops it: remove the link or narrow the patterns.`
    );
  }
  return [...found.values()].sort((a, b) => compareCodePoints(a.path, b.path));
}
async function createGlobber(lines, workspace) {
  const patterns = lines.map((line) => anchorPattern(line, workspace)).join("\n");
  try {
    return await create(patterns, {
      matchDirectories: false,
      implicitDescendants: true,
      // Links are followed, so a link to a folder of reports still works; where each one
      // really leads is checked file by file (admitFile) before anything is read.
      followSymbolicLinks: true,
      // A pattern like `.` or `dist` would otherwise take `.git/config`, where actions/checkout
      // keeps the job's token, and `.env` files: mail leaves the runner for good. The same
      // default actions/upload-artifact adopted in v4.4 for the same reason.
      excludeHiddenFiles: true
    });
  } catch (error2) {
    throw new ActionInputError(
      Inputs.attachments,
      `${describe(error2)}. Give one glob pattern per line, relative to the workspace (no "." or ".." segments), e.g. "reports/**/*.pdf" or "!**/*.tmp".`
    );
  }
}
async function admitFile(path6, boundaries, workspace) {
  const candidates = isWithin(path6, boundaries.workspace.path) ? [boundaries.workspace] : boundaries.absolute.filter((boundary) => isWithin(path6, boundary.path));
  let refusal2 = new FileRefusal(
    "place",
    "it lies outside the workspace and outside the folder of every absolute pattern."
  );
  for (const boundary of candidates) {
    try {
      const real = await resolveWithin(path6, boundary);
      return { path: path6, real, size: await measureRegularFile(real) };
    } catch (error2) {
      refusal2 = error2;
    }
  }
  throw refuseFile2(path6, refusal2, workspace);
}
async function readMatched(file, maxBytes, workspace) {
  try {
    return await readRegularFile(file.real, maxBytes);
  } catch (error2) {
    throw refuseFile2(file.path, error2, workspace);
  }
}
function refuseFile2(path6, error2, workspace) {
  const advice = error2 instanceof FileRefusal && error2.reason === "place" ? " A pull request can add symbolic links, so files are attached only from inside the workspace (or the folder an absolute pattern names), never through a link into a hidden folder: replace the link with the file itself, or narrow the patterns." : "";
  return new ActionInputError(
    Inputs.attachments,
    `refused ${showPath(path6, workspace)}: ${describe(error2)}${advice}`
  );
}
function checkTotal(files, maxBytes, workspace) {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > maxBytes) {
    const largest = [...files].sort((a, b) => b.size - a.size).slice(0, 3).map(({ path: path6, size }) => `${showPath(path6, workspace)} (${formatBytes(size)})`);
    throw new ActionInputError(
      Inputs.attachments,
      `the ${files.length} matched file(s) total ${formatBytes(total)}, over the ${formatBytes(maxBytes)} limit of ${Inputs.attachmentsMaxSize}. Largest: ${largest.join(", ")}. Narrow the patterns, compress the files, or raise ${Inputs.attachmentsMaxSize} (most providers refuse messages over 20-25 MB; base64 adds a third).`
    );
  }
  return total;
}
function reportNoFiles(lines, ifNoFilesFound) {
  const message = `no files were found for ${lines.join(", ")}, relative to the workspace; hidden files and directories (names starting with ".") are never attached.`;
  if (ifNoFilesFound === "error") {
    throw new ActionInputError(
      Inputs.attachments,
      `${message} Fix the patterns, or set ${Inputs.ifNoFilesFound} to warn or ignore.`
    );
  }
  const note = escapeUntrustedInline(`Input "${Inputs.attachments}": ${message}`);
  if (ifNoFilesFound === "warn") warning(note);
  else info(note);
}
function showPath(path6, workspace) {
  const root = resolve3(workspace);
  return JSON.stringify(isWithin(path6, root) ? relative2(root, path6) : path6);
}
function formatBytes(bytes) {
  const units = [
    [1e9, "GB"],
    [1e6, "MB"],
    [1e3, "kB"]
  ];
  const [factor, unit] = units.find(([size]) => bytes >= size) ?? [1, "B"];
  return factor === 1 ? `${bytes} B` : `${(bytes / factor).toFixed(1)} ${unit}`;
}
function compareCodePoints(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
function describe(error2) {
  return error2 instanceof Error ? error2.message : String(error2);
}

// src/action/event-payload.ts
import { readFile } from "node:fs/promises";
var EventPayloadError = class extends Error {
  name = "EventPayloadError";
};
async function readEventPayload(env) {
  const path6 = env.GITHUB_EVENT_PATH;
  if (path6 === void 0 || path6 === "") return {};
  let text2;
  try {
    text2 = await readFile(path6, "utf8");
  } catch (error2) {
    if (error2.code === "ENOENT") return {};
    throw new EventPayloadError(`GITHUB_EVENT_PATH ${path6} cannot be read: ${String(error2)}`);
  }
  let payload;
  try {
    payload = JSON.parse(text2);
  } catch (error2) {
    throw new EventPayloadError(
      `GITHUB_EVENT_PATH ${path6} is not valid JSON (${error2.message}); the runner writes the event payload there, so a step before this one may have overwritten it.`
    );
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new EventPayloadError(`GITHUB_EVENT_PATH ${path6} does not hold a JSON object.`);
  }
  return payload;
}

// src/action/prepared-message.ts
async function prepareMessage(settings, env) {
  const event = await readEventPayload(env);
  const context = buildTemplateContext({ env, event, status: settings.status });
  if (settings.vars.trim() !== "") context.vars = await renderVars(settings.vars, context);
  const parts = await renderParts(settings.message, context);
  const attachments = await collectAttachments(settings.attachments, settings.workspace);
  const input = buildMessageInput(settings.message, parts, attachments.attachments, context.github);
  return { composed: composeActionMessage(input), context, parts, attachments };
}
async function renderParts(message, context) {
  const subject = message.subject === void 0 || message.subject.text.trim() === "" ? await renderDefaultSubject(context) : await renderTemplate(message.subject, context, "header");
  const { body, htmlBody } = message;
  if (body === void 0 && htmlBody === void 0) {
    return { subject, ...await renderRunReport(context) };
  }
  if (body !== void 0 && message.markdown) {
    return { subject, ...await renderMarkdown(body, context) };
  }
  const html = htmlBody === void 0 ? void 0 : await renderTemplate(htmlBody, context, "html");
  const text2 = body === void 0 ? void 0 : await renderTemplate(body, context, "text");
  return { subject, text: text2, html };
}

// src/action/send-mode.ts
async function runSendMode(settings, server, prepared) {
  const { composed } = prepared;
  const shown = (text2) => hideUrlHost(text2, server, settings.serverSource);
  info(
    `Sending ${quoteUntrusted(prepared.parts.subject)} (${composed.messageId}, ${composed.size} bytes) to ${composed.envelope.to.length} recipient(s) through ` + describeEndpoint(server, settings.serverSource)
  );
  const report2 = await deliverWithRetries({
    server,
    envelope: composed.envelope,
    message: composed.bytes,
    retries: settings.retries,
    deadlineMs: settings.timeoutSeconds * 1e3,
    onRetry: (error2, attempt, delayMs) => info(shown(describeRetry(error2, attempt, delayMs)))
  });
  const failure = describeFailure2(report2, server, settings);
  await reportDelivery(settings, server, prepared, report2, failure);
  if (failure !== void 0) {
    setFailed(escapeUntrustedLines(failure));
    return;
  }
  reportRejected(report2.rejected, settings.onRejectedRecipient);
  if (report2.accepted.length > 0 && report2.response !== void 0) {
    const reply = escapeUntrustedInline(shown(formatReply(report2.response)));
    info(`Sent: the server replied ${reply}`);
  }
}
function describeFailure2(report2, server, settings) {
  if (report2.error !== void 0) {
    return adviseOnFailure(report2.error, server, settings.serverSource);
  }
  if (report2.accepted.length === 0) return "No recipient accepted the message; nothing was sent.";
  return void 0;
}
async function reportDelivery(settings, server, prepared, report2, failure) {
  const messageId = prepared.composed.messageId;
  const source = settings.serverSource;
  const shown = (text2) => hideUrlHost(text2, server, source);
  const common = {
    messageId,
    result: report2.result,
    attempts: report2.attempts,
    accepted: report2.accepted,
    rejected: report2.rejected,
    response: report2.response
  };
  writeOutputs(common);
  await writeSummary({
    ...common,
    subject: prepared.parts.subject,
    from: settings.message.from,
    bcc: listBccAddresses(settings.message.bcc),
    server: { host: server.host, port: server.port },
    serverSource: source,
    tls: report2.tls,
    authMechanism: report2.authMechanism,
    durationMs: report2.durationMs,
    failure
  });
  if (settings.transcript || failure !== void 0) {
    printTranscript(hideUrlHostInTranscript(report2.transcript, server, source));
  }
  for (const warning2 of report2.warnings) warning(escapeUntrustedLines(shown(warning2)));
}
function reportRejected(rejected, mode) {
  if (rejected.length === 0) return;
  const message = `The server refused ${rejected.length} recipient(s): ${describeRefusals(rejected)}. The message was delivered to the others. Check the addresses, or set ${Inputs.onRejectedRecipient}: ${mode === "fail" ? "warn" : "fail"} to ${mode === "fail" ? "only warn" : "fail the step"}.`;
  if (mode === "fail") setFailed(escapeUntrustedLines(message));
  else warning(escapeUntrustedLines(message));
}

// src/action/input-reader.ts
function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
var TRUE_WORDS = ["true", "True", "TRUE"];
var FALSE_WORDS = ["false", "False", "FALSE"];
var DECIMAL = /^[0-9]+$/;
var InputReader = class {
  #env;
  constructor(env) {
    this.#env = env;
  }
  /** The trimmed value; '' when not given. */
  text(name) {
    return (this.#env[inputVariable(name)] ?? "").trim();
  }
  /** The input, else the trimmed environment variable `variable` (e.g. `proxy`, SMTP_PROXY). */
  textOrVariable(name, variable) {
    return this.text(name) || (this.#env[variable] ?? "").trim();
  }
  /** True when the input has a non-blank value. */
  has(name) {
    return this.text(name) !== "";
  }
  /** The non-blank lines, each trimmed. */
  lines(name) {
    return splitLines(this.text(name));
  }
  boolean(name, fallback) {
    const value = this.text(name);
    if (value === "") return fallback;
    if (TRUE_WORDS.includes(value)) return true;
    if (FALSE_WORDS.includes(value)) return false;
    throw new ActionInputError(
      name,
      `${JSON.stringify(value)} is not a boolean: use true or false.`
    );
  }
  integer(name, range3, fallback) {
    const value = this.text(name);
    if (value === "") return fallback;
    const number = DECIMAL.test(value) ? Number(value) : Number.NaN;
    if (!(number >= range3.min && number <= range3.max)) {
      throw new ActionInputError(
        name,
        `${JSON.stringify(value)} is not a whole number from ${range3.min} to ${range3.max}.`
      );
    }
    return number;
  }
  /** One of `choices` (lowercase), matched case-insensitively. */
  choice(name, choices, fallback) {
    const value = this.text(name);
    if (value === "") return fallback;
    const match3 = choices.find((choice) => choice === value.toLowerCase());
    if (match3 === void 0) {
      throw new ActionInputError(
        name,
        `${JSON.stringify(value)} is not one of the accepted values: ${choices.join(", ")}.`
      );
    }
    return match3;
  }
};
function splitLines(text2) {
  return text2.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line !== "");
}

// src/action/header-lines.ts
var FIELD_NAME2 = /^[\x21-\x39\x3b-\x7e]+$/;
var SET_ELSEWHERE = /* @__PURE__ */ new Map([
  ["from", "the from input"],
  ["to", "the to input"],
  ["cc", "the cc input"],
  ["bcc", "the bcc input"],
  ["reply-to", "the reply-to input"],
  ["subject", "the subject input"],
  ["in-reply-to", "the in-reply-to input"],
  ["references", "the in-reply-to or thread input"],
  ["x-priority", "the priority input"],
  ["importance", "the priority input"],
  ["date", "the action, from the clock"],
  ["message-id", "the action (a random id)"],
  ["mime-version", "the action"],
  ["auto-submitted", "the action (auto-generated, RFC 3834)"],
  ["sender", "the from input"],
  ["return-path", "the receiving server"],
  ["received", "the servers the message passes through"]
]);
function parseHeaderLines(text2) {
  const headers = [];
  for (const [index, line] of text2.split(/\r\n|\r|\n/).entries()) {
    if (line.trim() === "") continue;
    const fail2 = (why) => {
      throw new ActionInputError(Inputs.headers, `line ${index + 1}: ${why}`);
    };
    const colon = line.indexOf(":");
    if (colon === -1) fail2(`${JSON.stringify(line.trim())} has no colon: write "Name: value".`);
    const name = line.slice(0, colon).trim();
    if (!FIELD_NAME2.test(name)) {
      fail2(
        `${JSON.stringify(name)} is not a header field name: printable ASCII without spaces or colons (RFC 5322 3.6.8), e.g. X-Build.`
      );
    }
    const key = name.toLowerCase();
    const owner = key.startsWith("content-") ? "the action" : SET_ELSEWHERE.get(key);
    if (owner !== void 0) fail2(`the ${name} header is set by ${owner}, not by headers.`);
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return headers;
}

// src/action/workspace-file.ts
import { dirname as dirname4, isAbsolute as isAbsolute3, resolve as resolve4 } from "node:path";
var MAX_INPUT_FILE_BYTES = 1024 * 1024;
async function readWorkspaceFile(input, path6, workspace) {
  const resolved = resolve4(workspace, path6);
  const fail2 = (why) => {
    throw new ActionInputError(input, `cannot use ${JSON.stringify(resolved)}: ${why}`);
  };
  let bytes;
  try {
    const real = await resolveWithin(resolved, await boundaryOf(path6, resolved, workspace));
    await measureRegularFile(real);
    bytes = await readRegularFile(real, MAX_INPUT_FILE_BYTES);
  } catch (error2) {
    if (error2 instanceof FileRefusal) return fail2(error2.message + adviceFor(error2));
    return fail2(describeFsError(error2, workspace));
  }
  return { path: resolved, text: decodeUtf82(bytes, fail2) };
}
async function boundaryOf(path6, resolved, workspace) {
  const own = await createBoundary2(workspace, `the workspace (${resolve4(workspace)})`);
  if (!isAbsolute3(path6) || isWithin(resolved, own.path)) return own;
  const folder = dirname4(resolved);
  return createBoundary2(folder, `the folder ${JSON.stringify(folder)}`);
}
function adviceFor(refusal2) {
  if (refusal2.reason !== "place") return "";
  return " A pull request can add symbolic links, so files are read only from inside the workspace, never through a link into a hidden folder; give the path of the file itself.";
}
function describeFsError(error2, workspace) {
  const code = error2?.code;
  if (code === "ENOENT") {
    return `the file does not exist. Paths are relative to the workspace (${workspace}); check out the repository (actions/checkout) before this step.`;
  }
  if (code === "EISDIR") return "it is a directory, not a file.";
  if (code === "EACCES" || code === "EPERM") return "permission denied.";
  return error2 instanceof Error ? error2.message : String(error2);
}
function decodeUtf82(bytes, fail2) {
  try {
    const text2 = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text2.startsWith("\uFEFF") ? text2.slice(1) : text2;
  } catch {
    return fail2("it is not UTF-8 text.");
  }
}

// src/action/message-settings.ts
async function readMessageSettings(reader, workspace, mode) {
  const addresses = readAddresses(reader, mode);
  const subject = reader.text(Inputs.subject);
  const markdown2 = reader.boolean(Inputs.markdown, Defaults.markdown);
  const html = [Inputs.htmlBody, Inputs.htmlBodyFile].find((name) => reader.has(name));
  if (markdown2 && html !== void 0) {
    throw new ActionInputError(
      Inputs.markdown,
      `true renders the HTML part from the Markdown body, so ${html} cannot be given too. Remove ${html}, or set markdown to false.`
    );
  }
  const body = await readTemplate(reader, Inputs.body, Inputs.bodyFile, workspace);
  const htmlBody = await readTemplate(reader, Inputs.htmlBody, Inputs.htmlBodyFile, workspace);
  return {
    ...addresses,
    subject: subject === "" ? void 0 : { name: Inputs.subject, text: subject },
    body,
    htmlBody,
    markdown: markdown2,
    headers: parseHeaderLines(reader.text(Inputs.headers)),
    priority: reader.choice(Inputs.priority, Choices.priority, Defaults.priority),
    inReplyTo: readInReplyTo(reader.text(Inputs.inReplyTo)),
    thread: reader.boolean(Inputs.thread, Defaults.thread)
  };
}
function readAddresses(reader, mode) {
  const addresses = {
    from: readAddressInput(reader, Inputs.from, true),
    to: readAddressInput(reader, Inputs.to, false),
    cc: readAddressInput(reader, Inputs.cc, false),
    bcc: readAddressInput(reader, Inputs.bcc, false),
    replyTo: readAddressInput(reader, Inputs.replyTo, false)
  };
  if (mode === "verify") return addresses;
  if (addresses.from === "") {
    throw new ActionInputError(
      Inputs.from,
      `is required in ${mode} mode: give the sender address.`
    );
  }
  if (addresses.to === "" && addresses.cc === "" && addresses.bcc === "") {
    throw new ActionInputError(
      Inputs.to,
      `at least one recipient is required in ${mode} mode: give to, cc or bcc.`
    );
  }
  return addresses;
}
function readAddressInput(reader, name, single) {
  const list = splitLines(reader.text(name)).join(", ");
  if (list === "") return "";
  try {
    if (single) parseMailbox(list, name);
    else parseAddressList(list, name);
  } catch (error2) {
    if (!(error2 instanceof MimeInputError)) throw error2;
    throw fromMimeInputError(error2, name);
  }
  return list;
}
async function readTemplate(reader, inline, file, workspace) {
  const text2 = reader.text(inline);
  const path6 = reader.text(file);
  if (text2 !== "" && path6 !== "") {
    throw new ActionInputError(
      inline,
      `cannot be combined with ${file}: give the template inline or in a file, not both.`
    );
  }
  if (text2 !== "") return { name: inline, text: text2 };
  if (path6 === "") return void 0;
  const read2 = await readWorkspaceFile(file, path6, workspace);
  return { name: `${file} ${path6}`, text: read2.text };
}
function readInReplyTo(value) {
  if (value === "") return void 0;
  const id = value.startsWith("<") ? value : `<${value}>`;
  if (!isMessageId(id)) {
    throw new ActionInputError(
      Inputs.inReplyTo,
      `${JSON.stringify(value)} is not a message id: expected <id@domain>, the Message-ID header of the message to answer (RFC 5322 3.6.4).`
    );
  }
  return id;
}

// src/action/secrets.ts
function collectSecrets(reader) {
  const connectionUrl = reader.text(Inputs.connectionUrl);
  const usernames = [reader.text(Inputs.username)];
  const passwords = [reader.text(Inputs.password)];
  const secrets = [...passwords, connectionUrl, decodeLeniently(connectionUrl)];
  for (const { username, password } of userInfoCandidates(connectionUrl)) {
    const decoded = { username: decodeLeniently(username), password: decodeLeniently(password) };
    secrets.push(username, password, decoded.username, decoded.password);
    usernames.push(decoded.username);
    passwords.push(decoded.password);
  }
  for (const username of new Set(usernames)) {
    for (const password of new Set(passwords)) {
      secrets.push(...secretFormsOf({ username, password }));
    }
  }
  secrets.push(...urlHostForms(connectionUrl));
  secrets.push(...proxySecrets(reader.textOrVariable(Inputs.proxy, PROXY_ENV)));
  return [...new Set(secrets)].filter((secret) => secret !== "");
}
function urlHostForms(raw) {
  if (raw === "") return [];
  const rest = afterScheme(raw);
  const authority = rest.split(/[/?#]/, 1)[0] ?? "";
  const afterLastAt = rest.slice(rest.lastIndexOf("@") + 1).split(/[/?#]/, 1)[0] ?? "";
  return [authority.slice(authority.lastIndexOf("@") + 1), afterLastAt].flatMap((hostPort) => {
    const bracketed = /^\[([^\]]*)\]/.exec(hostPort)?.[1];
    const host = bracketed ?? hostPort.replace(/:[0-9]*$/, "");
    return [host, decodeLeniently(host)].flatMap((form) => [form, form.toLowerCase()]);
  });
}
function collectBccAddresses(reader) {
  const found = reader.text(Inputs.bcc).match(/[^\s<>,;:"()[\]\\]+@[^\s<>,;:"()[\]\\]+/g) ?? [];
  return [...new Set(found.flatMap((address) => [address, address.toLowerCase()]))];
}
function proxySecrets(proxy) {
  return userInfoCandidates(proxy).flatMap(({ username, password }) => {
    const user = decodeLeniently(username);
    const decoded = decodeLeniently(password);
    const basic = Buffer.from(`${user}:${decoded}`, "utf8").toString("base64");
    return [username, user, password, decoded, basic];
  });
}
function maskingOnce(mask) {
  const registered = /* @__PURE__ */ new Set();
  return (secret) => {
    if (registered.has(secret)) return;
    registered.add(secret);
    mask(secret);
  };
}
function maskSecrets(secrets, mask) {
  const seen = /* @__PURE__ */ new Set();
  for (const secret of secrets) {
    for (const form of [secret, ...secret.split(/\r\n|\r|\n/)]) {
      const value = form.trim() === "" ? "" : form;
      if (value === "" || seen.has(value)) continue;
      seen.add(value);
      mask(value);
    }
  }
}
function userInfoCandidates(raw) {
  const rest = afterScheme(raw);
  const authority = rest.split(/[/?#]/, 1)[0] ?? "";
  const candidates = [];
  for (const text2 of [authority, rest]) {
    const at2 = text2.lastIndexOf("@");
    if (at2 === -1) continue;
    const userInfo = text2.slice(0, at2);
    const colon = userInfo.indexOf(":");
    candidates.push(
      colon === -1 ? { username: userInfo, password: "" } : { username: userInfo.slice(0, colon), password: userInfo.slice(colon + 1) }
    );
  }
  return candidates;
}
function afterScheme(raw) {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(.*)$/s.exec(raw)?.[1] ?? raw;
}
function decodeLeniently(text2) {
  return text2.replace(
    /(?:%[0-9A-Fa-f]{2})+/g,
    (run2) => Buffer.from(run2.replace(/%/g, ""), "hex").toString("utf8")
  );
}

// src/action/host-name.ts
import { isIP as isIP3 } from "node:net";
var HOST_NAME2 = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
var HOST_AND_PORT = /^[^:]+:[0-9]*$/;
function checkHostName(value, check) {
  const shown = check.quote ? `${JSON.stringify(value)} ` : "the host ";
  const fail2 = (why) => {
    throw new ActionInputError(check.input, `${shown}${why}`);
  };
  const bare = value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value;
  if (isIP3(bare) !== 0) {
    if (!check.allowIp) fail2("is an IP address; give the DNS name the certificate lists.");
    return bare;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) || /[/@?#]/.test(value)) {
    fail2(
      "looks like a URL: give only the host name (smtp.example.com) and set port and tls, or give the whole URL as connection-url."
    );
  }
  if (HOST_AND_PORT.test(value)) {
    fail2('includes a port: give only the host name here and the port in the "port" input.');
  }
  if (!HOST_NAME2.test(value)) {
    fail2("is not a host name or IP address (expected e.g. smtp.example.com or 192.0.2.10).");
  }
  return value;
}

// src/action/connection-url.ts
var FORM = "smtp://user:password@host:587 or smtps://user:password@host:465";
var SCHEMES = {
  "smtp:": "starttls",
  "smtps:": "implicit"
};
function fail(detail) {
  throw new ActionInputError(Inputs.connectionUrl, detail);
}
var URL_WHITESPACE = /[\t\r\n]/;
var URL_WHITESPACE_ADVICE = "contains a line break or tab, which URL parsing would silently drop: write it on one line (percent-encode a line break in a password as %0A).";
function describeBadPercent(what) {
  return `has a % in the ${what} that is not followed by two hex digits: write % as %25.`;
}
function decodeUserInfo(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return void 0;
  }
}
function parseConnectionUrl(raw) {
  if (URL_WHITESPACE.test(raw)) fail(URL_WHITESPACE_ADVICE);
  let url2;
  try {
    url2 = new URL(raw);
  } catch {
    fail(`is not a URL. Expected ${FORM} (percent-encode special characters in the password).`);
  }
  const tls2 = SCHEMES[url2.protocol];
  if (tls2 === void 0) {
    fail(
      `has a scheme other than smtp:// (STARTTLS) or smtps:// (implicit TLS). Expected ${FORM}.`
    );
  }
  if (!["", "/"].includes(url2.pathname) || url2.search !== "" || url2.hash !== "") {
    fail(`must not have a path, query or fragment. Expected ${FORM}.`);
  }
  if (url2.hostname === "") fail(`has no host. Expected ${FORM}.`);
  const host = checkHostName(url2.hostname, {
    input: Inputs.connectionUrl,
    quote: false,
    allowIp: true
  });
  return { host, port: parsePort(url2.port, tls2), tls: tls2, ...parseCredentials(url2) };
}
function parsePort(port, tls2) {
  if (port === "") return tls2 === "implicit" ? Ports.implicit : Ports.submission;
  const number = Number(port);
  if (number < 1 || number > 65535) fail("has a port outside 1 to 65535.");
  return number;
}
function parseCredentials(url2) {
  const username = decodePart(url2.username, "user name");
  const password = decodePart(url2.password, "password");
  if (username !== "" && password === "") {
    fail("has a user name but no password: write user:password@ before the host.");
  }
  if (username === "" && password !== "") {
    fail("has a password but no user name: write user:password@ before the host.");
  }
  return { username, password };
}
function decodePart(part, what) {
  return decodeUserInfo(part) ?? fail(describeBadPercent(what));
}
function findProxyProblem(value) {
  if (URL_WHITESPACE.test(value)) return URL_WHITESPACE_ADVICE;
  let url2;
  try {
    url2 = new URL(value);
  } catch {
    url2 = void 0;
  }
  if (url2?.protocol !== "http:" || url2.hostname === "" || !["", "/"].includes(url2.pathname)) {
    return "is not the URL of an HTTP CONNECT proxy: expected http://[user:password@]host:port.";
  }
  if (decodeUserInfo(url2.username) === void 0 || decodeUserInfo(url2.password) === void 0) {
    return describeBadPercent("user name or password");
  }
  return void 0;
}

// src/action/server-settings.ts
async function readServerSettings(reader, workspace, mode) {
  const endpoint = readEndpoint(reader);
  if (endpoint.host === "" && mode !== "dry-run") {
    throw new ActionInputError(
      Inputs.server,
      `is required in ${mode} mode: give the SMTP server's host name (or a connection-url).`
    );
  }
  const tlsVerify = reader.boolean(Inputs.tlsVerify, Defaults.tlsVerify);
  const server = {
    host: endpoint.host,
    port: endpoint.port,
    tls: endpoint.tls,
    ...optional2("tlsOptions", await readTlsSettings(reader, workspace, tlsVerify)),
    ...optional2("auth", readAuth(reader, endpoint)),
    ...optional2("ehloName", readEhloName(reader)),
    ...optional2("proxy", readProxy(reader))
  };
  return {
    server: endpoint.host === "" ? void 0 : server,
    tlsVerify,
    serverSource: reader.text(Inputs.connectionUrl) === "" ? "inputs" : "connection-url"
  };
}
function optional2(key, value) {
  return value === void 0 ? {} : { [key]: value };
}
function readEndpoint(reader) {
  const tls2 = reader.choice(Inputs.tls, Choices.tls, Defaults.tls);
  const url2 = reader.text(Inputs.connectionUrl);
  if (url2 === "") return readSeparateEndpoint(reader, tls2);
  const alsoGiven = [Inputs.server, Inputs.port, Inputs.username, Inputs.password].filter(
    (name) => reader.has(name)
  );
  if (alsoGiven.length > 0) {
    throw new ActionInputError(
      Inputs.connectionUrl,
      `cannot be combined with ${alsoGiven.join(", ")}: the URL already holds the host, port and credentials. Remove ${alsoGiven.join(", ")}, or remove connection-url.`
    );
  }
  const parsed = parseConnectionUrl(url2);
  if (tls2 !== "auto" && tls2 !== parsed.tls) {
    throw new ActionInputError(
      Inputs.tls,
      `"${tls2}" contradicts connection-url, whose scheme sets ${parsed.tls} (smtp:// is STARTTLS, smtps:// implicit TLS). Remove tls or change the scheme.`
    );
  }
  return parsed;
}
var EMPTY_SECRET = "Both are needed to log in. A value from a secret is empty when the secret name is misspelt, when the secret is not set for this repository or environment, or in a run for a pull request from a fork (GitHub passes no secrets to those).";
function readSeparateEndpoint(reader, tls2) {
  const server = reader.text(Inputs.server);
  const host = server === "" ? "" : checkHostName(server, { input: Inputs.server, quote: true, allowIp: true });
  const defaultPort = tls2 === "implicit" ? Ports.implicit : Ports.submission;
  const port = reader.integer(Inputs.port, Ranges.port, defaultPort);
  const mode = tls2 === "auto" ? port === Ports.implicit ? "implicit" : "starttls" : tls2;
  const username = reader.text(Inputs.username);
  const password = reader.text(Inputs.password);
  if (username !== "" && password === "") {
    throw new ActionInputError(
      Inputs.password,
      `is empty while username is given. ${EMPTY_SECRET}`
    );
  }
  if (username === "" && password !== "") {
    throw new ActionInputError(
      Inputs.username,
      `is empty while password is given. ${EMPTY_SECRET}`
    );
  }
  return { host, port, tls: mode, username, password };
}
function readAuth(reader, endpoint) {
  const auth = reader.choice(Inputs.auth, Choices.auth, Defaults.auth);
  if (endpoint.password === "") {
    if (auth !== "auto") {
      throw new ActionInputError(
        Inputs.auth,
        `"${auth}" needs credentials: give username and password (or a connection-url with them).`
      );
    }
    return void 0;
  }
  if (endpoint.tls === "none" && endpoint.host !== "" && !isLoopbackHost(endpoint.host)) {
    throw new ActionInputError(
      Inputs.tls,
      `"none" would send the password to ${endpoint.host} unencrypted: use tls starttls or implicit (or auto).`
    );
  }
  const mechanism = auth === "auto" ? "auto" : auth.toUpperCase();
  return { username: endpoint.username, password: endpoint.password, mechanism };
}
async function readTlsSettings(reader, workspace, tlsVerify) {
  const settings = {};
  const ca = await readCa(reader.text(Inputs.tlsCa), workspace);
  if (ca !== void 0) settings.ca = ca;
  const servername = reader.text(Inputs.tlsServername);
  if (servername !== "") {
    const check = { input: Inputs.tlsServername, quote: true, allowIp: false };
    settings.servername = checkHostName(servername, check);
  }
  if (!tlsVerify) settings.dangerouslyAcceptInvalidCertificates = true;
  return Object.keys(settings).length === 0 ? void 0 : settings;
}
var PEM_BEGIN = "-----BEGIN ";
var PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
async function readCa(value, workspace) {
  if (value === "") return void 0;
  const fromFile = !value.includes(PEM_BEGIN);
  const pem = fromFile ? (await readWorkspaceFile(Inputs.tlsCa, value, workspace)).text : value;
  if (!PEM_CERTIFICATE.test(pem)) {
    const source = fromFile ? `the file ${JSON.stringify(value)}` : "the text";
    throw new ActionInputError(
      Inputs.tlsCa,
      `${source} holds no PEM certificate: expected the CA certificate from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----" (never a private key).`
    );
  }
  return pem;
}
function readEhloName(reader) {
  const name = reader.text(Inputs.ehloName);
  if (name === "") return void 0;
  if (!isValidEhloName(name)) {
    throw new ActionInputError(
      Inputs.ehloName,
      `${JSON.stringify(name)} is not a fully qualified domain name (runner.example.com) or an address literal ([192.0.2.1], [IPv6:2001:db8::1]).`
    );
  }
  return name;
}
function readProxy(reader) {
  const value = reader.textOrVariable(Inputs.proxy, PROXY_ENV);
  if (value === "") return void 0;
  const problem = findProxyProblem(value);
  if (problem !== void 0) {
    const source = reader.has(Inputs.proxy) ? "" : `(from ${PROXY_ENV}) `;
    throw new ActionInputError(Inputs.proxy, `${source}${problem}`);
  }
  return value;
}

// src/action/size.ts
var UNITS = {
  b: 1,
  kb: 1e3,
  mb: 1e3 ** 2,
  gb: 1e3 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3
};
var SIZE = /^([0-9]+(?:\.[0-9]+)?) ?([A-Za-z]*)$/;
var ACCEPTED = "a byte count or a number with B, KB, MB, GB, KiB, MiB or GiB (e.g. 25MB, 500 KB, 10MiB)";
function parseSize2(input, value) {
  const match3 = SIZE.exec(value);
  const unit = match3?.[2] ?? "";
  const factor = unit === "" ? 1 : UNITS[unit.toLowerCase()];
  const number = Number(match3?.[1]);
  const fractionalBytes = unit === "" && match3?.[1]?.includes(".") === true;
  const bytes = factor === void 0 || fractionalBytes ? Number.NaN : Math.floor(number * factor);
  if (!(bytes >= 1 && Number.isSafeInteger(bytes))) {
    throw new ActionInputError(
      input,
      `${JSON.stringify(value)} is not a size: expected ${ACCEPTED}.`
    );
  }
  return bytes;
}

// src/action/settings.ts
async function readSettings(options = {}) {
  const env = options.env ?? process.env;
  const mask = maskingOnce(options.mask ?? setSecret);
  const reader = new InputReader(env);
  maskSecrets([...collectSecrets(reader), ...collectBccAddresses(reader)], mask);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const mode = reader.choice(Inputs.mode, Choices.mode, Defaults.mode);
  const { server, tlsVerify, serverSource } = await readServerSettings(reader, workspace, mode);
  const message = await readMessageSettings(reader, workspace, mode);
  const urlHost = serverSource === "connection-url" && server !== void 0 ? [server.host] : [];
  const bcc = listBccAddresses(message.bcc);
  maskSecrets([...urlHost, ...bcc, ...bcc.map((address) => address.toLowerCase())], mask);
  const maxSize = reader.text(Inputs.attachmentsMaxSize) || Defaults.attachmentsMaxSize;
  return {
    mode,
    server,
    tlsVerify,
    serverSource,
    timeoutSeconds: reader.integer(Inputs.timeout, Ranges.timeout, Defaults.timeout),
    retries: reader.integer(Inputs.retries, Ranges.retries, Defaults.retries),
    message,
    attachments: {
      patterns: reader.lines(Inputs.attachments),
      ifNoFilesFound: reader.choice(
        Inputs.ifNoFilesFound,
        Choices.ifNoFilesFound,
        Defaults.ifNoFilesFound
      ),
      maxBytes: parseSize2(Inputs.attachmentsMaxSize, maxSize)
    },
    workspace,
    vars: reader.text(Inputs.vars),
    status: reader.text(Inputs.status).toLowerCase(),
    onRejectedRecipient: reader.choice(
      Inputs.onRejectedRecipient,
      Choices.onRejectedRecipient,
      Defaults.onRejectedRecipient
    ),
    transcript: reader.boolean(Inputs.transcript, Defaults.transcript)
  };
}

// src/action/verify-mode.ts
async function runVerifyMode(settings, server) {
  const started = Date.now();
  const source = settings.serverSource;
  const shown = (text2) => hideUrlHost(text2, server, source);
  const endpoint = { host: server.host, port: server.port };
  info(
    `Verifying ${describeEndpoint(server, source)} (tls ${server.tls}); no message is sent.`
  );
  try {
    const report2 = await verifyConnection({
      ...server,
      timeouts: { ...server.timeouts, total: settings.timeoutSeconds * 1e3 }
    });
    writeOutputs({ result: "verified", attempts: 1 });
    await writeSummary({
      result: "verified",
      server: endpoint,
      serverSource: source,
      tls: report2.tls,
      authMechanism: report2.authMechanism,
      attempts: 1,
      durationMs: Date.now() - started
    });
    if (settings.transcript) {
      printTranscript(hideUrlHostInTranscript(report2.transcript, server, source));
    }
    for (const warning2 of report2.warnings) warning(escapeUntrustedLines(shown(warning2)));
    const tls2 = report2.tls === void 0 ? "no TLS" : report2.tls.protocol;
    info(`Verified: ${tls2}, AUTH ${report2.authMechanism ?? "not used"}.`);
  } catch (error2) {
    if (!(error2 instanceof SmtpError)) throw error2;
    const failure = adviseOnFailure(error2, server, source);
    writeOutputs({ result: "failed", attempts: 1 });
    await writeSummary({
      result: "failed",
      server: endpoint,
      serverSource: source,
      attempts: 1,
      durationMs: Date.now() - started,
      failure
    });
    printTranscript(hideUrlHostInTranscript(error2.transcript, server, source));
    setFailed(escapeUntrustedLines(failure));
  }
}

// src/action/main.ts
async function run() {
  let settings;
  try {
    settings = await readSettings();
    const { server } = settings;
    if (server !== void 0 && settings.mode !== "dry-run") {
      if (!settings.tlsVerify) warnUnverifiedTls();
      const mismatch = describePortTlsMismatch(server, settings.serverSource);
      if (mismatch !== void 0) warning(mismatch);
    }
    if (settings.mode === "verify" && server !== void 0) {
      await runVerifyMode(settings, server);
      return;
    }
    const prepared = await prepareMessage(settings, process.env);
    if (settings.mode === "dry-run") await runDryRunMode(settings, prepared);
    else if (server !== void 0) await runSendMode(settings, server, prepared);
    else throw new ActionInputError(Inputs.server, "is required to send: give the SMTP host.");
  } catch (error2) {
    await reportUnexpected(error2, settings);
  }
}
function warnUnverifiedTls() {
  warning(
    `Input "${Inputs.tlsVerify}" is false: the server's certificate is not checked, so anyone on the network path can pose as the server and read the password and the message. For a private CA, give its certificate in "${Inputs.tlsCa}" instead.`
  );
}
async function reportUnexpected(error2, settings) {
  const failure = adviseOnFailure(error2, settings?.server, settings?.serverSource);
  if (error2 instanceof Error && error2.stack !== void 0) {
    debug(escapeUntrustedLines(error2.stack));
  }
  setFailed(
    failure === "" ? "smtp-notify failed without a message" : escapeUntrustedLines(failure)
  );
  try {
    writeOutputs({ result: "failed" });
    await writeSummary({ result: "failed", failure });
  } catch (reportError) {
    debug(
      escapeUntrustedLines(`Could not write the outputs or summary: ${String(reportError)}`)
    );
  }
}

// src/action/index.ts
await run();
