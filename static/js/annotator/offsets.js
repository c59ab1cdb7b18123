// Offsets: code points (the server, Python, spaCy, W3C) <-> UTF-16 units
// (the DOM). The only conversion in the annotator: everything else works in
// UTF-16 units inside the page and converts at the API boundary.

export class Offsets {
  constructor(text) {
    this.units = text.length;
    this.identity = !/[\uD800-\uDFFF]/.test(text);
    if (this.identity) {
      this.points = text.length;
      return;
    }
    const cpToUnit = [];
    const unitToCp = new Int32Array(text.length + 1);
    let unit = 0;
    let cp = 0;
    while (unit < text.length) {
      cpToUnit.push(unit);
      const code = text.charCodeAt(unit);
      const width = code >= 0xd800 && code <= 0xdbff && unit + 1 < text.length ? 2 : 1;
      unitToCp[unit] = cp;
      if (width === 2) unitToCp[unit + 1] = cp + 1; // inside a pair: round up
      unit += width;
      cp += 1;
    }
    cpToUnit.push(unit);
    unitToCp[unit] = cp;
    this.points = cp;
    this.cpToUnit = Int32Array.from(cpToUnit);
    this.unitToCp = unitToCp;
  }

  toUnits(cp) {
    return this.identity ? cp : this.cpToUnit[Math.max(0, Math.min(cp, this.points))];
  }

  toCodePoints(unit) {
    return this.identity ? unit : this.unitToCp[Math.max(0, Math.min(unit, this.units))];
  }
}

// Tokens: snap a selection to whole words (code points).

export function snapToTokens(tokens, start, end) {
  // tokens: flat [s0, e0, s1, e1, ...] sorted, code points.
  const count = tokens.length / 2;
  if (!count || start >= end) return null;
  // first token whose end > start
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[2 * mid + 1] > start) hi = mid;
    else lo = mid + 1;
  }
  if (lo >= count) return null;
  const first = lo;
  // last token whose start < end
  lo = 0;
  hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[2 * mid] < end) lo = mid + 1;
    else hi = mid;
  }
  const last = lo - 1;
  if (last < first) return null;
  return [tokens[2 * first], tokens[2 * last + 1]];
}

// Token boundaries (code points), for the caret, the keyboard resize and the
// drag handles: the next or previous start (edge 0) or end (edge 1) of a
// token strictly after or before ``cp``, or null when there is none.
export function tokenEdge(tokens, cp, edge, direction) {
  const count = tokens.length / 2;
  let lo = 0;
  let hi = count;
  if (direction > 0) {
    // first token whose edge > cp
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[2 * mid + edge] > cp) hi = mid;
      else lo = mid + 1;
    }
    return lo < count ? tokens[2 * lo + edge] : null;
  }
  // last token whose edge < cp
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[2 * mid + edge] < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? tokens[2 * (lo - 1) + edge] : null;
}

// The token edge nearest to ``cp`` (a drag snaps to it), or null.
export function nearestEdge(tokens, cp, edge) {
  const before = tokenEdge(tokens, cp + 1, edge, -1);
  const after = tokenEdge(tokens, cp - 1, edge, 1);
  if (before === null) return after;
  if (after === null) return before;
  return cp - before <= after - cp ? before : after;
}
