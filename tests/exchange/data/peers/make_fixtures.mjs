// Builds the doccano and Label Studio fixtures beside this file.
// Offsets are computed the way the tools' browsers compute them: JavaScript
// string indices (UTF-16 code units) and Intl.Segmenter graphemes, never
// with Glossa's Python converter, so the tests check one against the other.
// Run: node make_fixtures.mjs   (the texts are our own writing)
import { writeFileSync } from "node:fs";

const TEXTS = [
  {
    title: "Coast bulletin",
    text:
      "Update \u{1F6A2}\u{1F525} from the coast: Captain \u064A\u0648\u0633\u0641 " +
      "\u0627\u0644\u062D\u062F\u0627\u062F said the patrol boat stopped two skiffs. " +
      "\u8239\u4E0A\u6709\u5341\u56DB\u4EBA\u3002 The ministry said 14 people were killed " +
      "and gave no evidence.",
    spans: [
      ["the patrol boat stopped two skiffs", "official_claim"],
      ["\u8239\u4E0A\u6709\u5341\u56DB\u4EBA", "casualty_figure"],
      ["14 people were killed", "casualty_figure"],
      ["gave no evidence", "no_evidence_provided"],
    ],
  },
  {
    title: "Port Lusk",
    // a decomposed e + U+0301 (Glossa stores it composed) and a ZWJ emoji
    text:
      "Cafe\u0301 owners \u{1F469}\u{1F3FD}\u200D\u2696\uFE0F in Port Lusk said 2 " +
      "fishermen are missing. Nobody explained why the navy did not rescue them.",
    spans: [
      ["2 fishermen are missing", "casualty_figure"],
      ["the navy did not rescue them", "rescue_or_survivor"],
      ["Nobody explained", "refusal_or_non_answer"],
      ["Port Lusk", "location_or_jurisdiction"],
    ],
  },
  {
    title: "Flags",
    text:
      "\u{1F1EA}\u{1F1F8} \u{2000B} Professor \u05D3\u05E0\u05D4 \u05DC\u05D5\u05D9 " +
      "called the strikes unlawful: \"These are extrajudicial executions.\" " +
      "She asked for an inquiry.",
    spans: [
      ["called the strikes unlawful", "experts_say_illegal"],
      ["These are extrajudicial executions.", "experts_say_illegal"],
      ["asked for an inquiry", "call_for_investigation"],
      ["Professor", "unnamed_source"],
    ],
  },
];

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
const graphemeIndex = (text, unit) => {
  let count = 0;
  for (const { index } of segmenter.segment(text)) {
    if (index >= unit) return index === unit ? count : NaN;
    count += 1;
  }
  return count;
};
const spansOf = ({ text, spans }) =>
  spans.map(([quote, label]) => {
    const start = text.indexOf(quote); // UTF-16 code units
    if (start < 0) throw new Error(quote);
    return { quote, label, start, end: start + quote.length };
  });
// pandas' to_json (doccano's writer) is compact and escapes "/" as "\/".
const pandas = (obj) => JSON.stringify(obj).replaceAll("/", "\\/");

// doccano 1.8 sequence labelling export (collaborative: all.jsonl), both modes.
for (const [file, grapheme] of [["doccano_utf16.jsonl", false], ["doccano_graphemes.jsonl", true]]) {
  const lines = TEXTS.map((t, i) => {
    const label = spansOf(t)
      .map(({ start, end, label }) =>
        grapheme ? [graphemeIndex(t.text, start), graphemeIndex(t.text, end), label] : [start, end, label])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return pandas({ id: 41 + i, text: t.text, source: "field notes/2025", label, Comments: [] });
  });
  writeFileSync(file, lines.join("\n") + "\n");
}
// doccano with relation labelling on: "entities" objects.
writeFileSync(
  "doccano_relations.jsonl",
  TEXTS.map((t, i) =>
    pandas({
      id: 41 + i,
      text: t.text,
      source: "field notes/2025",
      entities: spansOf(t).map(({ start, end, label }, j) => ({
        id: 100 * (i + 1) + j, label, start_offset: start, end_offset: end,
      })),
      relations: [],
      Comments: [],
    }),
  ).join("\n") + "\n",
);

// Label Studio JSON export. Current versions count code points; versions
// before 1.0 counted JavaScript indices (UTF-16). Both keep value.text.
const codepoints = (text, unit) => [...text.slice(0, unit)].length;
const stamp = "2025-10-02T09:14:07.512344Z";
for (const [file, utf16] of [["labelstudio.json", false], ["labelstudio_old_utf16.json", true]]) {
  const tasks = TEXTS.map((t, i) => ({
    id: 7 + i,
    annotations: [
      {
        id: 20 + i, completed_by: 1,
        result: spansOf(t).map(({ quote, label, start, end }, j) => ({
          value: {
            start: utf16 ? start : codepoints(t.text, start),
            end: utf16 ? end : codepoints(t.text, end),
            text: quote, labels: [label],
          },
          id: `r${i}x${j}Qz`, from_name: "label", to_name: "text", type: "labels", origin: "manual",
        })),
        was_cancelled: false, ground_truth: false, created_at: stamp, updated_at: stamp,
        draft_created_at: null, lead_time: 41.3, prediction: {}, result_count: 0,
        unique_id: `5d0c${i}e1a-77b2-4c1e-9d55-0b3f1a2c4e6${i}`, import_id: null,
        last_action: null, bulk_created: false, task: 7 + i, project: 3, updated_by: 1,
        parent_prediction: null, parent_annotation: null, last_created_by: null,
      },
    ],
    file_upload: "b1f0c2aa-texts.json", drafts: [], predictions: [],
    data: { text: t.text, title: t.title }, meta: {}, created_at: stamp, updated_at: stamp,
    inner_id: 1 + i, total_annotations: 1, cancelled_annotations: 0, total_predictions: 0,
    comment_count: 0, unresolved_comment_count: 0, last_comment_updated_at: null,
    project: 3, updated_by: 1, comment_authors: [],
  }));
  writeFileSync(file, JSON.stringify(tasks));
}
