import * as assert from 'node:assert/strict';
import { explainFile } from '../../server/src/cli/commands';
import { artifactFacts } from '../../server/src/core/explain';
import { parseEvals } from '../../server/src/core/evals/parse';
import { computeFindings } from '../../server/src/core/rules/rules';
import { at, indexOf, where } from '../helpers/memoryHost';

const OWNERS = `version: 1
owners:
  product: { title: Product, lead: "@dana" }
  platform: { title: ML Platform, lead: "@sam" }
`;

const INTENTS = `intents:
  - id: refund-status
    title: Refund status
    phrases: [refund status]
  - id: cancel-order
    title: Cancel order
    phrases: [cancel my order]
`;

/** A voice assistant and an SMS assistant; the promptfoo suite runs only the SMS prompt. */
function workspace(evalSet: string, files: Record<string, string>): Record<string, string> {
  return {
    'counterpart.yaml': `${OWNERS}artifacts:
  - id: sms-prompt
    kind: system-prompt
    files: prompts/sms.md
    owner: platform
    intents: [refund-status, cancel-order]
  - id: voice-prompt
    kind: system-prompt
    files: prompts/voice.md
    owner: platform
    intents: [refund-status]
${evalSet}${INTENTS}`,
    'prompts/sms.md': 'You answer customers by SMS.\n',
    'prompts/voice.md': 'You answer customers on the phone.\n',
    ...files,
  };
}

const SUITE = `  - id: support-evals
    kind: eval-set
    files: evals/promptfooconfig.yaml
    owner: platform
`;

const CONFIG = `description: SMS support
prompts:
  - file://../prompts/sms.md
defaultTest:
  metadata:
    intent: refund-status
tests:
  - description: Where is my refund
    vars: { message: where is my refund }
  - file://cases/*.{yaml,yml}
  - file://cases.csv
`;

/** "file:line label [intents]" of every case, for exact assertions. */
function casesOf(files: Record<string, string>): string[] {
  return indexOf(files).evalCases.map((c) => `${c.file}:${c.range.start.line + 1} ${c.label} [${c.intents.map((i) => i.value).join(',')}]`);
}

describe('eval sets as promptfoo keeps them', () => {
  it('follows file:// in tests: globs, YAML lists and CSV, each case at its own file and line', () => {
    const files = workspace(SUITE, {
      'evals/promptfooconfig.yaml': CONFIG,
      'evals/cases/a.yaml': '- vars: { message: cancel it }\n  metadata: { intent: cancel-order }\n- description: Refund for a gift\n',
      'evals/cases/b.yml': '- name: Late refund\n  metadata: { intent: [refund-status] }\n',
      'evals/cases.csv': '\ufeffmessage,__expected,__description,__metadata:intent\r\n"Cancel, please",contains:cancel,,cancel-order\r\n"two\nlines",x,A refund over SMS,\r\n',
    });
    assert.deepEqual(casesOf(files), [
      'evals/promptfooconfig.yaml:8 Where is my refund [refund-status]',
      'evals/cases/a.yaml:1 message: cancel it [cancel-order]',
      'evals/cases/a.yaml:3 Refund for a gift [refund-status]',
      'evals/cases/b.yml:1 Late refund [refund-status]',
      'evals/cases.csv:2 message: Cancel, please [cancel-order]',
      'evals/cases.csv:3 A refund over SMS [refund-status]',
    ]);
    const index = indexOf(files);
    const csvIntent = index.evalCases.find((c) => c.file === 'evals/cases.csv')!.intents[0];
    assert.deepEqual(csvIntent, { value: 'cancel-order', file: 'evals/cases.csv', range: { start: { line: 1, character: 34 }, end: { line: 1, character: 46 } } });
    // An inherited intent is shown where defaultTest writes it.
    const inherited = index.evalCases.find((c) => c.label === 'Refund for a gift')!.intents[0];
    assert.equal(where(inherited.file, CONFIG, 'refund-status'), `evals/promptfooconfig.yaml:${inherited.range.start.line + 1}:${inherited.range.start.character + 1}`);
    assert.ok(index.referencedEvalFiles.has('evals/cases.csv') && index.referencedEvalFiles.has('evals/cases/a.yaml'));
    assert.ok(index.watched.has('evals/cases.csv'), 'the watcher and the language server follow referenced files');
    assert.deepEqual(computeFindings(index).filter((f) => f.code.startsWith('eval') || f.code === 'untagged-cases'), []);
  });

  it('explains a case file reached through file:// as part of its eval set', () => {
    const files = workspace(SUITE, {
      'evals/promptfooconfig.yaml': 'tests: file://cases.csv\n',
      'evals/cases.csv': 'message,__metadata:intent\nwhere is it,refund-status\nhello,\n',
    });
    const text = explainFile(indexOf(files), 'evals/cases.csv', []);
    assert.ok(text.includes("Eval cases of eval set 'support-evals' (owned by ML Platform (@sam)), reached through file:// from its config: 2 cases.\n    line 2: message: where is it — refund-status\n    line 3: message: hello — no intent\n"), text);
    assert.ok(!text.includes('no one is recorded as its owner'));
  });

  it('reads tests: as a single file:// reference, and JSON and JSONL case files', () => {
    const files = workspace(SUITE, {
      'evals/promptfooconfig.yaml': 'tests: file://cases/*\n',
      'evals/cases/a.json': '[{ "description": "JSON case", "metadata": { "intent": "cancel-order" } }]',
      'evals/cases/b.jsonl': '{"vars":{"message":"hi"},"metadata":{"intent":"refund-status"}}\n',
    });
    assert.deepEqual(casesOf(files), ['evals/cases/a.json:1 JSON case [cancel-order]', 'evals/cases/b.jsonl:1 message: hi [refund-status]']);
  });

  it('reports a reference that leaves the folder, is missing, loops or is code at the reference, and counts the rest', () => {
    const config = 'tests:\n  - file://../../secrets.yaml\n  - file://missing.yaml\n  - file://loop.yaml\n  - file://gen.py\n  - vars: { message: hi }\n    metadata: { intent: refund-status }\n';
    const files = workspace(SUITE, {
      'evals/promptfooconfig.yaml': config,
      'evals/loop.yaml': '- file://promptfooconfig.yaml\n- metadata: { intent: cancel-order }\n',
    });
    const f = computeFindings(indexOf(files));
    const messages = f.filter((x) => x.code === 'eval-syntax' || x.code === 'eval-in-code').map((x) => `${x.code} ${x.file}:${x.range.start.line + 1} ${x.message}`);
    assert.deepEqual(messages, [
      'eval-syntax evals/loop.yaml:1 evals/promptfooconfig.yaml is already part of this eval set, so this file:// leads in a loop; it was read once.',
      'eval-syntax evals/promptfooconfig.yaml:2 file://../../secrets.yaml points outside the folder, so its cases were not read.',
      'eval-syntax evals/promptfooconfig.yaml:3 file://missing.yaml does not exist, so its eval cases are missing.',
      'eval-in-code evals/promptfooconfig.yaml:5 file://gen.py is code that generates cases; Counterpart never runs code, so they are not counted.',
    ]);
    assert.deepEqual(casesOf(files).map((c) => c.split(' [')[1]), ['refund-status]', 'cancel-order]']);
  });

  it('never parses a promptfoo config written in code, and says its cases are not counted', () => {
    const files = workspace(SUITE.replace('promptfooconfig.yaml', 'promptfooconfig.js'), {
      'evals/promptfooconfig.js': 'module.exports = {\n  tests: [{ vars: { message: "hi" } }],\n};\n',
    });
    const f = computeFindings(indexOf(files)).filter((x) => x.file === 'evals/promptfooconfig.js');
    assert.deepEqual(f.map((x) => x.code), ['eval-in-code', 'never-reviewed']);
    assert.match(f[0].message, /^This eval config is code, and Counterpart never runs code, so its cases are not counted\./);
  });

  it('reports ragged CSV rows at their row, and keeps their cases', () => {
    const files = workspace(SUITE, {
      'evals/promptfooconfig.yaml': 'tests: file://cases.csv\n',
      'evals/cases.csv': 'message,__metadata:intent\nok,refund-status\nragged\n"quoted, with comma",cancel-order\n',
    });
    const f = computeFindings(indexOf(files));
    assert.deepEqual(at(f, 'eval-syntax'), ['evals/cases.csv:3:1']);
    assert.match(f.find((x) => x.code === 'eval-syntax')!.message, /^Row 3 has 1 fields, but the header has 2/);
    assert.deepEqual(casesOf(files), ['evals/cases.csv:2 message: ok [refund-status]', 'evals/cases.csv:3 message: ragged []', 'evals/cases.csv:4 message: quoted, with comma [cancel-order]']);
  });

  it('counts untagged cases per file: "3 of 12 cases carry no intent"', () => {
    const files = workspace(SUITE, {
      'evals/promptfooconfig.yaml': 'tests:\n  - vars: { message: a }\n  - vars: { message: b }\n  - vars: { message: c }\n    metadata: { intent: cancel-order }\n',
    });
    const f = computeFindings(indexOf(files)).filter((x) => x.code === 'untagged-cases');
    assert.deepEqual(f.map((x) => [x.severity, x.file, x.message]), [['information', 'evals/promptfooconfig.yaml',
      "2 of 3 cases carry no intent at metadata.intent, so they count toward no intent's coverage. Tag them so everyone can see what they test."]]);
  });

  it('tries each path of an intentField list in order, and labels by description, name, first var, input', () => {
    const suite = SUITE.replace('    owner: platform\n', '    owner: platform\n    intentField: [metadata.intent, vars.intent]\n');
    const files = workspace(suite, {
      'evals/promptfooconfig.yaml': 'tests:\n  - name: Named\n    vars: { intent: cancel-order }\n  - vars: { message: same }\n    metadata: { intent: refund-status }\n  - vars: { message: same }\n',
    });
    assert.deepEqual(casesOf(files), [
      'evals/promptfooconfig.yaml:2 Named [cancel-order]',
      'evals/promptfooconfig.yaml:4 message: same · promptfooconfig.yaml:4 [refund-status]',
      'evals/promptfooconfig.yaml:6 message: same · promptfooconfig.yaml:6 []',
    ]);
    const jsonl = parseEvals('{"input":"Where is it?","intent":"refund-status"}\n', 'r.jsonl', 'jsonl', ['intent']);
    assert.equal(jsonl.cases[0].label, 'Where is it?');
  });
});

describe('coverage per prompt', () => {
  const files = (): Record<string, string> => workspace(SUITE, {
    'evals/promptfooconfig.yaml': CONFIG,
    'evals/cases/a.yaml': '- vars: { message: cancel it }\n  metadata: { intent: cancel-order }\n',
    'evals/cases.csv': 'message\nhi\n',
    'src/App.tsx': 'quickReply("Refund status") quickReply("refund-status")\n',
  });

  it('covers a prompt only with cases that run against it: uncovered-intent at the other prompt\'s listing', () => {
    const text = files()['counterpart.yaml'];
    const f = computeFindings(indexOf({ ...files(), 'counterpart.yaml': text.replace('surfaces: []', '') }));
    const uncovered = f.filter((x) => x.code === 'uncovered-intent');
    const voiceLine = text.split('\n').findIndex((l) => l.includes('intents: [refund-status]')) + 1;
    assert.deepEqual(uncovered.map((x) => `${x.file}:${x.range.start.line + 1}`), [`counterpart.yaml:${voiceLine}`]);
    assert.equal(uncovered[0].message, "System prompt 'voice-prompt' lists intent 'refund-status', but no eval case that runs this prompt covers it: its cases run against other prompts. Evals are owned by ML Platform (@sam).");
  });

  it('counts for a prompt only its own cases in its facts, and for an intent every case', () => {
    const index = indexOf(files());
    const sms = artifactFacts(index, index.artifactsById.get('sms-prompt')!);
    const voice = artifactFacts(index, index.artifactsById.get('voice-prompt')!);
    assert.equal(sms.evalCases.length, 3);
    assert.equal(voice.evalCases.length, 0);
    assert.deepEqual(voice.intents.map((i) => [i.id, i.evalCases.length]), [['refund-status', 0]]);
    assert.equal(index.intentEvalCases.get('refund-status')?.length, 2);
  });

  it('resolves prompts: file:// to a prompt kept in code, before its grammar is even loaded', () => {
    const ws = workspace(SUITE, { 'evals/promptfooconfig.yaml': 'prompts: [file://../app/route.ts:systemPrompt]\ntests:\n  - metadata: { intent: refund-status }\n', 'app/route.ts': 'export const systemPrompt = `Hi`;\n' });
    ws['counterpart.yaml'] = ws['counterpart.yaml'].replace('files: prompts/sms.md', 'files: app/route.ts\n    symbol: systemPrompt');
    const index = indexOf(ws);
    assert.deepEqual([...index.evalSetPrompts.get('support-evals') ?? []], ['sms-prompt']);
    assert.ok(!computeFindings(index).some((f) => f.code === 'eval-in-code'), 'a prompt in code is named, not run');
  });

  it('counts the case files a config points at in the eval set\'s review: editing one is a change to review', () => {
    const files = workspace(SUITE, { 'evals/promptfooconfig.yaml': 'tests: file://cases.csv\n', 'evals/cases.csv': 'message,__metadata:intent\nhi,refund-status\n' });
    const before = indexOf(files).contents.get('support-evals')!.hash;
    const after = indexOf({ ...files, 'evals/cases.csv': 'message,__metadata:intent\nhi,cancel-order\n' }).contents.get('support-evals')!.hash;
    assert.notEqual(after, before);
  });

  it('takes exercises: from the manifest, and reports one naming no artifact', () => {
    const suite = SUITE.replace('    owner: platform\n', '    owner: platform\n    exercises: [voice-prompt, tone-prompt]\n');
    const ws = workspace(suite, { 'evals/promptfooconfig.yaml': 'tests:\n  - metadata: { intent: refund-status }\n' });
    const f = computeFindings(indexOf(ws));
    assert.deepEqual(f.filter((x) => x.code === 'unknown-artifact').map((x) => x.message), ["'tone-prompt' is not an artifact of this manifest, so 'support-evals' cannot say it runs it. System prompts: sms-prompt, voice-prompt."]);
    assert.deepEqual(at(f, 'unknown-artifact'), [where('counterpart.yaml', ws['counterpart.yaml'], 'tone-prompt')]);
    const uncovered = f.filter((x) => x.code === 'uncovered-intent').map((x) => x.subject?.artifact ?? x.subject?.intent);
    assert.deepEqual(uncovered.sort(), ['cancel-order', 'sms-prompt', 'sms-prompt']);
  });

  it('says so when no eval set is declared, instead of naming an owner of evals', () => {
    const f = computeFindings(indexOf(workspace('', {})));
    const uncovered = f.find((x) => x.code === 'uncovered-intent' && x.file === 'counterpart.yaml' && !x.subject?.artifact)!;
    assert.equal(uncovered.message, "No eval case covers intent 'refund-status'. No eval set is declared in counterpart.yaml, so no eval case is counted at all.");
    assert.ok(!f.some((x) => /Evals are owned by/.test(x.message)));
  });
});

describe('intent names in UI code', () => {
  it('matches a marker by id, title or phrase, any case; an unknown name stays undeclared', () => {
    const ws = workspace(SUITE.replace('files: evals/promptfooconfig.yaml', 'files: evals/none.yaml'), {
      'src/App.tsx': 'quickReply("Refund status")\nquickReply("CANCEL MY ORDER")\nquickReply("refund-status")\nquickReply("Upgrade")\n',
      'counterpart.yaml': '',
    });
    ws['counterpart.yaml'] = workspace(SUITE, {})['counterpart.yaml'] + 'surfaces:\n  - files: src/*.tsx\n    marker: \'quickReply\\("(?<intent>[^"]+)"\\)\'\n    owner: product\n';
    const index = indexOf(ws);
    assert.deepEqual(index.markers.map((m) => [m.intent, m.written]), [['refund-status', 'Refund status'], ['cancel-order', 'CANCEL MY ORDER'], ['refund-status', undefined], ['Upgrade', undefined]]);
    const f = computeFindings(index);
    assert.deepEqual(f.filter((x) => x.code === 'undeclared-intent').map((x) => x.subject?.intent), ['Upgrade']);
  });
});
