// The jsonata-js 2.0.6 oracle of the differential test: one long-lived
// process. Reads JSON lines {"expr": "...", "input": <json>} from stdin and
// answers one line each, in order: {"ok": <json>} for a value, {"undef": true}
// for undefined, {"err": "CODE"} for an error. A function result is U1003, as
// in Step Functions (and in our engine).
// usage: node oracle.js PATH_TO_JSONATA_PACKAGE
'use strict';
const jsonata = require(process.argv[2]);
const readline = require('readline');

function isFunction(v) {
  return typeof v === 'function' ||
    (v !== null && typeof v === 'object' && (v._jsonata_lambda || v._jsonata_function));
}

async function answer(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { err: 'BADREQ' };
  }
  // $split(s, "") splits JavaScript's UTF-16 units: an astral character gives
  // two halves, which our engine's UTF-8 strings cannot hold. Not compared.
  const astral = /[\u{10000}-\u{10FFFF}]/u;
  if (req.expr.includes('$split(') && req.expr.includes(', "")') &&
      (astral.test(req.expr) || astral.test(JSON.stringify(req.input)))) {
    return { skip: 'UTF-16 split' };
  }
  const before = JSON.stringify(req.input);
  let r;
  try {
    r = await jsonata(req.expr).evaluate(req.input);
  } catch (e) {
    if (JSON.stringify(req.input) !== before) return { skip: 'input mutated' };
    return { err: e.code || ('JS:' + (e.message || String(e))) };
  }
  // A group-by over an empty array pushes `undefined` into that array, which
  // can be the input document's own: later reads see it. A jsonata-js bug,
  // not a semantics to copy: such a case is not compared.
  if (JSON.stringify(req.input) !== before) return { skip: 'input mutated' };
  if (r === undefined) return { undef: true };
  if (isFunction(r)) return { err: 'U1003' };
  try {
    // A result holding Infinity or NaN is not JSON: our engine raises D1001 for
    // it (a Step Functions result must be JSON); JSON.stringify would write null.
    let finite = true;
    const text = JSON.stringify(r, (k, v) => {
      if (typeof v === 'number' && !isFinite(v)) finite = false;
      return isFunction(v) ? undefined : v;
    });
    if (!finite) return { err: 'D1001' };
    // UTF-16 halves ($split(s, "") on an astral character) cannot be UTF-8
    // strings, which our engine's are: such a case is not compared. JSON.stringify
    // writes a lone half as a \udXXX escape, and a pair as the character itself.
    if (text !== undefined && /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/.test(text)) {
      return { skip: 'lone surrogate' };
    }
    return { ok: text === undefined ? null : JSON.parse(text) };
  } catch (e) {
    return { err: 'STRINGIFY' };
  }
}

(async () => {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    process.stdout.write(JSON.stringify(await answer(line)) + '\n');
  }
})();
