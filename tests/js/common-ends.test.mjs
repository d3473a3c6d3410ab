// Where an edited text changed (js/common-ends.js), against a character-by-character scan.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pkgDir } from "./helpers.mjs";

const { commonEnds } = await import(`${pkgDir}/common-ends.js`);

function scanned(a, b) {
  const shorter = Math.min(a.length, b.length);
  let head = 0;
  while (head < shorter && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < shorter - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { head, tail };
}

test("commonEnds finds the same beginning and end as a scan, across and within its chunks", () => {
  let seed = 7;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const base = Array.from({ length: 5000 }, () => "ab é👩\n"[random(6)]).join("");
  for (let k = 0; k < 300; k++) {
    const at = random(base.length + 1);
    const cut = random(3000);
    const inserted = "xyz\n\n".slice(0, random(6)).repeat(random(500));
    const edited = base.slice(0, at) + inserted + base.slice(Math.min(base.length, at + cut));
    assert.deepEqual(commonEnds(base, edited), scanned(base, edited), `edit ${k}`);
  }
  assert.deepEqual(commonEnds("", ""), { head: 0, tail: 0 });
  assert.deepEqual(commonEnds(base, base), { head: base.length, tail: 0 });
  assert.deepEqual(commonEnds("a".repeat(3000), "a".repeat(2000)), { head: 2000, tail: 0 });
});
