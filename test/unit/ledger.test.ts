import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contentHash, parseLedger, recordReview, serializeLedger } from '../../server/src/core/ledger/ledger';
import { composeReviewRequest } from '../../server/src/core/review/compose';
import { signReview } from '../../server/src/core/review/sign';
import { computeFindings } from '../../server/src/core/rules/rules';
import { writeFileAtomic } from '../../server/src/node/nodeHost';
import { at, baseFiles, indexOf, manifest, MemoryHost, where } from '../helpers/memoryHost';

describe('review ledger', () => {
  it('hashes content with LF line endings, and several files by path order', () => {
    assert.equal(contentHash([{ path: 'a', text: 'x\r\ny\n' }]), contentHash([{ path: 'a', text: 'x\ny\n' }]));
    assert.match(contentHash([{ path: 'a', text: 'x' }]), /^sha256:[0-9a-f]{64}$/);
    const ab = contentHash([{ path: 'a', text: '1' }, { path: 'b', text: '2' }]);
    assert.equal(ab, contentHash([{ path: 'b', text: '2' }, { path: 'a', text: '1' }]));
    assert.notEqual(ab, contentHash([{ path: 'a', text: '2' }, { path: 'b', text: '1' }]));
  });

  it('round-trips through serialize and parse, sorted by artifact id', () => {
    const review = { hash: 'sha256:1', by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', commit: '3f2a9c1', text: 'Creates a refund draft.' };
    const ledger = recordReview(recordReview({ reviews: new Map() }, 'b', review), 'a', { ...review, commit: undefined, text: undefined });
    const text = serializeLedger(ledger);
    assert.ok(text.indexOf('"a"') < text.indexOf('"b"'));
    assert.ok(!text.includes('"commit": undefined'));
    const parsed = parseLedger(text, 'l.json');
    assert.deepEqual(parsed.findings, []);
    assert.deepEqual(parsed.ledger.reviews.get('b'), review);
  });

  it('reports a broken ledger at the error and a bad entry without losing the good ones', () => {
    const broken = parseLedger('{ "version": 1, "reviews": { ', 'l.json');
    assert.equal(broken.findings[0].code, 'ledger-syntax');
    assert.match(broken.findings[0].message, /not valid JSON/);
    const text = '{"version":1,"reviews":{"a":{"hash":"h","by":"@d","side":"product","at":"t"},"b":{"hash":3}}}';
    const mixed = parseLedger(text, 'l.json');
    assert.deepEqual([...mixed.ledger.reviews.keys()], ['a']);
    assert.equal(mixed.findings.length, 1);
    assert.match(mixed.findings[0].message, /The review of 'b' needs text fields hash, by, side and at/);
    assert.equal(mixed.findings[0].range.start.character, text.indexOf('{"hash":3}'));
  });

  it('writes atomically: the target is whole and no temporary file is left', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-ledger-'));
    try {
      const target = path.join(dir, '.counterpart', 'reviews.json');
      writeFileAtomic(target, 'one\n');
      writeFileAtomic(target, 'two\n');
      assert.equal(fs.readFileSync(target, 'utf8'), 'two\n');
      assert.deepEqual(fs.readdirSync(path.dirname(target)), ['reviews.json']);
      // A failed write (the target is a folder) leaves the folder as it was and no temp file.
      fs.mkdirSync(path.join(dir, 'taken'));
      assert.throws(() => writeFileAtomic(path.join(dir, 'taken'), 'x'));
      assert.deepEqual(fs.readdirSync(dir).sort(), ['.counterpart', 'taken']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('review ledger: unreadable entries are kept', () => {
  const good = { hash: 'sha256:1', by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z' };

  it('keeps an entry it cannot read as written, and writes it back unchanged after another sign-off', () => {
    const text = '{\n  "version": 1,\n  "reviews": {\n    "a": {"hash":"h","by":"@d","side":"product","at":"t"},\n    "b": { "hash": 3, "note": "typed by hand" },\n    "c": "reviewed"\n  }\n}\n';
    const parsed = parseLedger(text, 'l.json');
    assert.deepEqual([...parsed.ledger.reviews.keys()], ['a']);
    assert.deepEqual([...(parsed.ledger.kept ?? new Map())], [['b', '{ "hash": 3, "note": "typed by hand" }'], ['c', '"reviewed"']]);
    assert.deepEqual(parsed.findings.map((f) => f.message), [
      "The review of 'b' needs text fields hash, by, side and at; until it has them it counts as no review (it is kept as written).",
      "The review of 'c' needs text fields hash, by, side and at; until it has them it counts as no review (it is kept as written).",
    ]);
    const written = serializeLedger(recordReview(parsed.ledger, 'd', good));
    assert.ok(written.includes('    "b": { "hash": 3, "note": "typed by hand" },\n'), written);
    assert.ok(written.includes('    "c": "reviewed",\n'), written);
    const again = parseLedger(written, 'l.json');
    assert.deepEqual([...again.ledger.reviews.keys()].sort(), ['a', 'd']);
    assert.deepEqual(again.ledger.kept, parsed.ledger.kept);
    assert.equal(serializeLedger(again.ledger), written, 'writing it again changes nothing');
  });

  it('replaces an unreadable entry only when that artifact is signed again', () => {
    const parsed = parseLedger('{"version":1,"reviews":{"b":{"hash":3}}}', 'l.json');
    const signed = recordReview(parsed.ledger, 'b', good);
    assert.equal(signed.kept, undefined);
    assert.deepEqual(JSON.parse(serializeLedger(signed)), { version: 1, reviews: { b: good } });
  });

  it('writes a well-formed ledger exactly as before: sorted, two-space indent', () => {
    const ledger = recordReview(recordReview({ reviews: new Map() }, 'b', { ...good, conditions: ['only when asked'] }), 'a', { ...good, text: 'x\ny' });
    const reviews = { a: { ...good, text: 'x\ny' }, b: { ...good, conditions: ['only when asked'] } };
    assert.equal(serializeLedger(ledger), JSON.stringify({ version: 1, reviews }, null, 2) + '\n');
    assert.equal(serializeLedger({ reviews: new Map() }), JSON.stringify({ version: 1, reviews: {} }, null, 2) + '\n');
  });

  it('signs through an index whose ledger has an unreadable entry without dropping it', () => {
    const ledger = '{\n  "version": 1,\n  "reviews": {\n    "help": {"by": "@sam"}\n  }\n}\n';
    const index = indexOf(baseFiles({ '.counterpart/reviews.json': ledger }));
    const result = signReview(index, { artifactId: 'refund-tool', by: '@dana', at: new Date('2026-12-01T09:30:00Z') });
    assert.ok(result.ok);
    const written = serializeLedger(result.ledger);
    assert.ok(written.includes('    "help": {"by": "@sam"},\n'), written);
    assert.ok(JSON.parse(written).reviews['refund-tool']);
  });
});

describe('review ledger: where it may be', () => {
  const withReviews = (value: string): string => manifest(`reviews: ${value}\n`);
  const good = { hash: 'sha256:1', by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z' };

  it('refuses a ledger path that names an artifact\'s file: a finding at reviews:, the file is not read as a ledger, sign refuses', () => {
    const text = withReviews('tools/refund.json');
    const host = new MemoryHost(baseFiles({ 'counterpart.yaml': text }));
    const index = indexOf(host);
    const problem = "Counterpart will not use tools/refund.json as the review ledger: it is a file of the artifact 'refund-tool', and recording a review would overwrite it. Point `reviews:` at a .json file of its own, such as .counterpart/reviews.json.";
    const findings = computeFindings(index).filter((f) => f.code === 'manifest-schema');
    assert.deepEqual(findings.map((f) => [`${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`, f.message]), [[where('counterpart.yaml', text, 'tools/refund.json', 1), problem]]);
    assert.equal(index.ledger.refused, problem);
    assert.equal(index.ledger.reviews.size, 0);
    assert.deepEqual(signReview(index, { artifactId: 'support-prompt', by: '@dana', at: new Date() }), { ok: false, problem });
  });

  it('refuses a file that is not .json, and JSON that is not a ledger', () => {
    const txt = indexOf(baseFiles({ 'counterpart.yaml': withReviews('notes/reviews.txt') }));
    assert.match(txt.ledger.refused ?? '', /^The review ledger must be a \.json file, and notes\/reviews\.txt is not/);
    assert.deepEqual(at(computeFindings(txt), 'manifest-schema').length, 1);
    for (const other of ['{ "name": "lookup", "description": "Finds an order." }', '[]', '{ "version": 2, "reviews": {} }', '{ "version": 1, "reviews": [] }']) {
      const index = indexOf(baseFiles({ 'counterpart.yaml': withReviews('data/settings.json'), 'data/settings.json': other }));
      assert.equal(index.ledger.refused, 'Counterpart will not use data/settings.json as the review ledger: it is not one (a JSON object with "version": 1 and "reviews"), and recording a review would overwrite it. Point `reviews:` at a .json file of its own, such as .counterpart/reviews.json.', other);
      const result = signReview(index, { artifactId: 'refund-tool', by: '@dana', at: new Date() });
      assert.deepEqual(result, { ok: false, problem: index.ledger.refused });
      assert.deepEqual(computeFindings(index).filter((f) => f.code === 'manifest-schema').map((f) => f.message), [index.ledger.refused]);
    }
  });

  it('accepts a missing file, an empty one and a ledger anywhere in the folder', () => {
    const variants: Record<string, string>[] = [{}, { 'meta/reviews.json': '' }, { 'meta/reviews.json': '{ "version": 1, "reviews": {} }' }];
    for (const files of variants) {
      const index = indexOf(baseFiles({ 'counterpart.yaml': withReviews('meta/reviews.json'), ...files }));
      assert.equal(index.ledger.refused, undefined);
      assert.ok(signReview(index, { artifactId: 'refund-tool', by: '@dana', at: new Date() }).ok);
    }
  });

  it('does not read a ledger through a link out of the folder, and says so at reviews:', () => {
    const host = new MemoryHost(baseFiles({ '.counterpart/reviews.json': JSON.stringify({ version: 1, reviews: { 'refund-tool': good } }) }));
    host.links.set('/ws/.counterpart', '/elsewhere/shared');
    const index = indexOf(host);
    const problem = 'The review ledger .counterpart/reviews.json leads to /elsewhere/shared/reviews.json, outside the workspace folder, through a link. Counterpart reads and writes nothing outside the folder, so it did not use it. Replace the link with a real folder or file inside the workspace.';
    assert.equal(index.ledger.reviews.size, 0);
    assert.equal(index.ledger.refused, problem);
    assert.ok(!host.reads.includes('/ws/.counterpart/reviews.json'), 'the ledger was not read');
    assert.deepEqual(computeFindings(index).filter((f) => f.code === 'file-skipped').map((f) => [f.file, f.message]), [['counterpart.yaml', problem]]);
    assert.deepEqual(signReview(index, { artifactId: 'refund-tool', by: '@dana', at: new Date() }), { ok: false, problem });
  });

  it('refuses a ledger that is a link to an artifact\'s file inside the folder', () => {
    const host = new MemoryHost(baseFiles());
    host.links.set('/ws/.counterpart/reviews.json', '/ws/tools/refund.json');
    const index = indexOf(host);
    assert.match(index.ledger.refused ?? '', /^Counterpart will not use \.counterpart\/reviews\.json \(really tools\/refund\.json\) as the review ledger: it is a file of the artifact 'refund-tool'/);
  });
});

describe('signing a review', () => {
  it('records the counterpart, after which the drift findings clear', () => {
    const host = new MemoryHost(baseFiles());
    const index = indexOf(host);
    assert.equal(at(computeFindings(index), 'never-reviewed').length, 4);
    const result = signReview(index, { artifactId: 'refund-tool', by: '@dana', at: new Date('2026-12-01T09:30:00.123Z'), commit: 'abc1234' });
    assert.ok(result.ok);
    assert.equal(result.message, "Recorded: @dana (Product) reviewed the tool description 'refund-tool' as it is now.");
    const review = result.ledger.reviews.get('refund-tool')!;
    assert.deepEqual({ ...review, hash: review.hash.slice(0, 7) }, { hash: 'sha256:', by: '@dana', side: 'product', at: '2026-12-01T09:30:00Z', commit: 'abc1234', text: 'Creates a refund draft.', conditions: [] });
    host.set('.counterpart/reviews.json', serializeLedger(result.ledger));
    const after = computeFindings(indexOf(host));
    assert.deepEqual(at(after, 'never-reviewed').filter((p) => p.startsWith('tools/')), []);
    host.set('tools/refund.json', '{ "description": "Creates a refund draft. Never call it twice.", "parameters": {} }');
    assert.deepEqual(computeFindings(indexOf(host)).filter((f) => f.file === 'tools/refund.json').map((f) => f.code), ['changed-since-review', 'tool-contract-change']);
  });

  it('refuses to sign while the ledger is not valid JSON, so no past review is lost', () => {
    const index = indexOf(baseFiles({ '.counterpart/reviews.json': '{ "version": 1, "reviews": { "a": ' }));
    const result = signReview(index, { artifactId: 'refund-tool', by: '@dana', at: new Date() });
    assert.deepEqual(result, { ok: false, problem: '.counterpart/reviews.json is not valid JSON; fix it first so no past review is lost.' });
  });

  it('refuses a sign-off from the owner side unless forced, and unknown people', () => {
    const index = indexOf(baseFiles());
    const owner = signReview(index, { artifactId: 'refund-tool', by: 'sam@acme.com', at: new Date() });
    assert.deepEqual(owner, { ok: false, canForce: true, problem: 'sam@acme.com is on ML Platform, but the counterpart review of this tool description belongs to Product (@dana).' });
    const forced = signReview(index, { artifactId: 'refund-tool', by: 'sam@acme.com', at: new Date(), force: true });
    assert.ok(forced.ok && forced.warning?.endsWith('Recorded anyway, as asked.'));
    const stranger = signReview(index, { artifactId: 'refund-tool', by: '@nobody', at: new Date() });
    assert.ok(!stranger.ok && /is not listed as a lead or member/.test(stranger.problem));
    const missing = signReview(index, { artifactId: 'nope', by: '@dana', at: new Date() });
    assert.ok(!missing.ok && /There is no artifact 'nope'.*Artifacts: support-prompt, refund-tool, evals, help\./.test(missing.problem));
  });
});

describe('review request', () => {
  it('names the artifact, both sides, the change, intents with coverage, cases, surfaces and a checklist', () => {
    const files = baseFiles({ 'src/Panel.tsx': '<button data-intent="express-refund">Now</button>\n' });
    const host = new MemoryHost(files);
    host.set('.counterpart/reviews.json', JSON.stringify({ version: 1, reviews: { 'refund-tool': { hash: 'sha256:old', by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', commit: '3f2a9c1', text: 'Creates a draft.' } } }));
    const request = composeReviewRequest(indexOf(host), 'refund-tool')!;
    assert.equal(request.title, "Counterpart review: tool description 'refund-tool'");
    assert.equal(request.mention, '@acme/product-pms');
    assert.equal(request.url, 'https://chat.example.com/product');
    const md = request.markdown;
    for (const heading of ['# Counterpart review', '## What changed since the last review', '## Intents it touches', '## Linked eval cases', '## UI surfaces', '## Checklist for the reviewer']) {
      assert.ok(md.includes(heading), heading);
    }
    assert.ok(md.includes('| Owner | ML Platform (@sam) |'));
    assert.ok(md.includes('| Counterpart (reviewer) | Product (@dana) |'));
    assert.ok(md.includes('Last reviewed by @dana (Product) on 2 Nov 2026 at commit 3f2a9c1.'));
    assert.ok(md.includes('-Creates a draft.\n+Creates a refund draft.'));
    assert.ok(md.includes('| Express refund (`express-refund`) | Product | **none: uncovered** | 1 | **no** |'));
    assert.ok(md.includes('- `src/Panel.tsx:1` surfaces `express-refund`'));
    assert.ok(md.includes('- [ ] 1 intent has no eval case: add cases before shipping.'));
    assert.ok(md.includes('`counterpart sign refund-tool --by <your handle>`'));
  });

  it('uses the text from git when the ledger keeps none, and says when it is unknown', () => {
    const host = new MemoryHost(baseFiles());
    host.set('.counterpart/reviews.json', JSON.stringify({ version: 1, reviews: { 'support-prompt': { hash: 'sha256:old', by: '@dana', side: 'product', at: '2026-11-02T10:00:00Z', commit: 'b81d04e' } } }));
    const index = indexOf(host);
    assert.ok(composeReviewRequest(index, 'support-prompt')!.markdown.includes('The reviewed text is not stored; compare with commit b81d04e.'));
    const withGit = composeReviewRequest(index, 'support-prompt', { previousText: 'You are a bot.\n', previousSource: 'git b81d04e' })!.markdown;
    assert.ok(withGit.includes('(from git b81d04e)'));
    assert.ok(withGit.includes('-You are a bot.\n+You are a support assistant.\n+Help with refund status.'));
    assert.ok(composeReviewRequest(index, 'evals')!.markdown.includes('Product (@dana) has never reviewed this eval set: please review it as a whole.'));
    assert.equal(composeReviewRequest(index, 'nope'), undefined);
  });
});
