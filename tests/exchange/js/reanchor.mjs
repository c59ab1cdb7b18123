// Re-anchors W3C selectors on texts with Apache Annotator (test helper).
// stdin: {"texts": {source: text}, "annotations": [W3C annotation, ...]}
// stdout: [{id, quote: [[start, end], ...], position: [start, end] | null}]
// in code points, the unit of W3C TextPositionSelector.
import {
  textPositionSelectorMatcher,
  textQuoteSelectorMatcher,
} from "@apache-annotator/selector";

const chunker = (text) => {
  const chunk = { data: text };
  return {
    currentChunk: chunk,
    nextChunk: () => null,
    previousChunk: () => null,
    precedesCurrentChunk: () => false,
  };
};
const codePoints = (text, index) => [...text.slice(0, index)].length;

let input = "";
for await (const part of process.stdin) input += part;
const { texts, annotations } = JSON.parse(input);
const results = [];
for (const annotation of annotations) {
  const text = texts[annotation.target.source];
  const selectors = [].concat(annotation.target.selector);
  const quote = selectors.find((s) => s.type === "TextQuoteSelector");
  const position = selectors.find((s) => s.type === "TextPositionSelector");
  const found = [];
  for await (const m of textQuoteSelectorMatcher(quote)(chunker(text))) {
    found.push([codePoints(text, m.startIndex), codePoints(text, m.endIndex)]);
  }
  let placed = null;
  for await (const m of textPositionSelectorMatcher(position)(chunker(text))) {
    placed = [codePoints(text, m.startIndex), codePoints(text, m.endIndex)];
  }
  results.push({ id: annotation.id, quote: found, position: placed });
}
process.stdout.write(JSON.stringify(results));
