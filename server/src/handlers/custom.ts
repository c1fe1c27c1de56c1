import * as fs from 'node:fs';
import * as path from 'node:path';
import { githubNames } from '../core/codeowners/sides';
import { kindNoun } from '../core/describe';
import { artifactFacts } from '../core/explain';
import { proposeManifest } from '../core/init/propose';
import { anchorOf } from '../core/index/workspaceIndex';
import { targetAt } from '../core/lookup';
import type { Artifact } from '../core/manifest/model';
import { composeReviewRequest } from '../core/review/compose';
import { signReview } from '../core/review/sign';
import { containsPosition } from '../core/text';
import { pathToUri } from '../convert';
import { Git } from '../node/git';
import { realTarget } from '../node/folderPaths';
import { updateLedger } from '../node/ledgerStore';
import { toPosix, writeFileAtomic } from '../node/nodeHost';
import { previousReviewedText } from '../node/previous';
import {
  ArtifactsRequest, CreateManifestRequest, FileStatusRequest, MarkReviewedRequest, ReviewRequestRequest, SaveReviewRequestRequest, TimingsRequest,
  type ArtifactSummary, type ArtifactsResult, type ArtifactTarget, type CreateManifestParams, type CreateManifestResult, type FileStatusParams,
  type FileStatusResult, type MarkReviewedParams, type MarkReviewedResult, type ReviewRequestResult, type SaveResult, type SaveReviewRequestParams,
  type TimingsParams, type TimingsResult,
} from '../protocol';
import type { Folder } from '../workspace/folder';
import { handlerTimings, safe, type ServerContext } from './context';

const REQUESTS = '.counterpart/requests';

const RESTRICTED = 'Counterpart runs nothing and writes nothing in Restricted Mode. Trust this folder to use this command.';

export function registerCustomRequests(ctx: ServerContext): void {
  const { connection, workspaces } = ctx;

  connection.onRequest(ArtifactsRequest, safe(ctx, 'artifacts', (): ArtifactsResult => {
    workspaces.flushAll();
    return {
      folders: [...workspaces.folders.values()].map((folder) => {
        const index = folder.index;
        return {
          folderUri: folder.uri,
          folderName: folder.name,
          manifestUri: index ? pathToUri(`${index.root}/${index.manifestFile}`) : undefined,
          problem: index ? undefined : `No ${folder.settings.manifest} in ${folder.name}. Run "Counterpart: Create Manifest" to start one.`,
          owners: index ? [...index.manifest.owners.values()].map((o) => ({ id: o.id, title: o.title, lead: o.lead })) : [],
          artifacts: index ? index.manifest.artifacts.map((a) => summarize(folder, a)) : [],
        };
      }),
    };
  }));

  connection.onRequest(ReviewRequestRequest, safe(ctx, 'review request', (params: ArtifactTarget): ReviewRequestResult => {
    const found = findArtifact(ctx, params);
    if (!found.ok) return found;
    const { folder, artifact } = found;
    const index = folder.index!;
    const git = workspaces.trusted ? new Git(index.root) : undefined;
    const previous = git ? previousReviewedText(index, artifact, git) : undefined;
    const request = composeReviewRequest(index, artifact.id, previous ?? (git ? {} : { withoutGit: 'git does not run in this workspace (Restricted Mode)' }))!;
    const counterpart = index.counterpartOf(artifact);
    return {
      ok: true, artifactId: artifact.id, folderUri: folder.uri, title: request.title, markdown: request.markdown,
      mention: request.mention, url: request.url, githubRepository: git?.githubRepository(),
      counterpart: counterpart ? { title: counterpart.title, reviewers: githubNames(counterpart) } : undefined,
      remoteUrl: git?.originUrl(), branch: git?.currentBranch(),
    };
  }));

  connection.onRequest(SaveReviewRequestRequest, safe(ctx, 'save review request', (params: SaveReviewRequestParams): SaveResult => {
    if (!workspaces.trusted) return { ok: false, problem: RESTRICTED };
    const folder = workspaces.folders.get(params.folderUri);
    if (!folder?.index) return { ok: false, problem: 'That folder has no Counterpart manifest.' };
    const day = new Date().toISOString().slice(0, 10);
    // Links resolved first: a requests folder that leads out of the workspace is refused, not written to.
    const dir = realTarget(folder.index.root, REQUESTS, 'The folder for review requests');
    if (!dir.ok) return { ok: false, problem: dir.problem };
    const safeId = params.artifactId.replace(/[^a-z0-9-]/gi, '-');
    let target = path.join(dir.path, `${safeId}-${day}.md`);
    for (let n = 2; isThere(target); n++) target = path.join(dir.path, `${safeId}-${day}-${n}.md`);
    writeFileAtomic(target, params.markdown.endsWith('\n') ? params.markdown : params.markdown + '\n');
    const shown = `${folder.index.root}/${REQUESTS}/${path.basename(target)}`;
    return { ok: true, uri: pathToUri(toPosix(dir.rel) === REQUESTS ? shown : toPosix(target)) };
  }));

  connection.onRequest(MarkReviewedRequest, safe(ctx, 'mark reviewed', (params: MarkReviewedParams): MarkReviewedResult => {
    if (!workspaces.trusted) return { ok: false, problem: RESTRICTED };
    const found = findArtifact(ctx, params);
    if (!found.ok) return found;
    const { folder, artifact } = found;
    const index = folder.index!;
    if (!folder.identity) {
      return { ok: false, problem: 'Counterpart does not know who you are. Set "counterpart.identity" to your @handle or email, or set git config user.email.' };
    }
    const input = { artifactId: artifact.id, by: folder.identity, at: new Date(), commit: new Git(index.root).headCommit(), force: params.force };
    // The ledger is signed as it is on disk now, under its lock: a terminal may have signed something meanwhile.
    const first = signReview(index, input);
    const result = first.ok ? updateLedger(index, (current) => signReview(index, input, current)) : first;
    if (!result.ok) return { ok: false, problem: result.problem, canForce: result.canForce };
    const ledgerPath = `${index.root}/${index.ledgerFile}`;
    workspaces.host.invalidateListing(ledgerPath);
    workspaces.host.invalidateListing(toPosix(result.ledgerPath));
    workspaces.rebuildNow(folder);
    return { ok: true, message: result.message, warning: result.warning, ledgerUri: pathToUri(ledgerPath) };
  }));

  connection.onRequest(CreateManifestRequest, safe(ctx, 'create manifest', (params: CreateManifestParams): CreateManifestResult => {
    if (!workspaces.trusted) return { ok: false, problem: RESTRICTED };
    const folder = workspaces.folders.get(params.folderUri);
    if (!folder) return { ok: false, problem: 'That folder is not open.' };
    const target = `${folder.root}/${folder.manifestName}`;
    if (fs.existsSync(target)) return { ok: false, problem: `${folder.settings.manifest} already exists; Counterpart never overwrites it.`, uri: pathToUri(target) };
    const host = workspaces.host;
    host.invalidateListing(folder.root);
    const proposal = proposeManifest(host.listFiles(folder.root), (rel) => host.readText(`${folder.root}/${rel}`));
    writeFileAtomic(target, proposal.text);
    host.invalidateListing(target);
    workspaces.rebuildNow(folder);
    return { ok: true, uri: pathToUri(target), summary: proposal.summary };
  }));

  connection.onRequest(TimingsRequest, (params: TimingsParams | undefined): TimingsResult => handlerTimings(params?.reset === true));

  connection.onRequest(FileStatusRequest, safe(ctx, 'file status', (params: FileStatusParams): FileStatusResult => {
    const at = workspaces.resolve(params.uri);
    const index = at?.folder.index;
    const empty: FileStatusResult = { errors: 0, warnings: 0, infos: 0 };
    if (!at || !index) return empty;
    const findings = at.folder.byFile.get(at.file) ?? [];
    const counts = {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      infos: findings.filter((f) => f.severity === 'information' || f.severity === 'hint').length,
    };
    const yourSide = at.folder.identity ? index.sideOf(at.folder.identity)?.title : undefined;
    const artifact = index.artifactAt(at.file, params.position);
    if (artifact) {
      const owner = index.owner(artifact.owner.value);
      const counterpart = index.counterpartOf(artifact);
      return { ...counts, artifactId: artifact.id, ownerTitle: owner?.title ?? artifact.owner.value, ownerLead: owner?.lead, counterpartTitle: counterpart?.title, counterpartLead: counterpart?.lead, yourSide };
    }
    const marker = index.fileMarkers.get(at.file)?.[0];
    const surfaceOwner = marker ? index.owner(index.manifest.surfaces[marker.surfaceIndex]?.owner.value) : undefined;
    if (surfaceOwner) {
      const other = index.otherSide(surfaceOwner.id);
      return { ...counts, ownerTitle: surfaceOwner.title, ownerLead: surfaceOwner.lead, counterpartTitle: other?.title, counterpartLead: other?.lead, yourSide };
    }
    return { ...counts, yourSide };
  }));
}

type Found = { ok: true; folder: Folder; artifact: Artifact } | { ok: false; problem: string; choices?: ArtifactSummary[] };

/** The artifact a command is about: named, at the cursor in the manifest, or owning the document. */
function findArtifact(ctx: ServerContext, target: ArtifactTarget): Found {
  const { workspaces } = ctx;
  workspaces.flushAll();
  const all = (): ArtifactSummary[] => [...workspaces.folders.values()].flatMap((f) => (f.index ? f.index.manifest.artifacts.map((a) => summarize(f, a)) : []));
  if (target.artifactId) {
    const folders = target.folderUri ? [workspaces.folders.get(target.folderUri)] : [...workspaces.folders.values()];
    for (const folder of folders) {
      const artifact = folder?.index?.artifactsById.get(target.artifactId);
      if (folder && artifact) return { ok: true, folder, artifact };
    }
    return { ok: false, problem: `There is no artifact '${target.artifactId}' in the manifest.`, choices: all() };
  }
  if (target.uri) {
    const at = workspaces.resolve(target.uri);
    const index = at?.folder.index;
    if (at && index) {
      if (at.file === index.manifestFile && target.position) {
        const t = targetAt(index, at.file, target.position);
        const inEntry = index.manifest.artifacts.find((a) => containsPosition(a.range, target.position!));
        const artifact = t?.kind === 'artifact' ? t.artifact : t?.kind === 'intent-ref' && t.artifact ? t.artifact : inEntry;
        if (artifact) return { ok: true, folder: at.folder, artifact };
      }
      const artifact = index.artifactAt(at.file, target.position);
      if (artifact) return { ok: true, folder: at.folder, artifact };
    }
  }
  const choices = all();
  return { ok: false, problem: choices.length ? 'Pick the artifact to review.' : 'No Counterpart manifest with artifacts is open.', choices };
}

function summarize(folder: Folder, artifact: Artifact): ArtifactSummary {
  const index = folder.index!;
  const f = artifactFacts(index, artifact);
  const at = anchorOf(index.contents.get(artifact.id));
  const review = f.review;
  return {
    folderUri: folder.uri,
    folderName: folder.name,
    id: artifact.id,
    kind: artifact.kind,
    kindLabel: kindNoun(artifact.kind),
    ownerId: artifact.owner.value,
    ownerTitle: f.owner?.title ?? artifact.owner.value,
    ownerLead: f.owner?.lead,
    counterpartTitle: f.counterpart?.title,
    counterpartLead: f.counterpart?.lead,
    location: at ? { uri: pathToUri(`${index.root}/${at.file}`), line: at.range.start.line, character: at.range.start.character } : undefined,
    review: review.state,
    reviewedBy: review.state === 'in-step' || review.state === 'changed' ? review.review.by : undefined,
    reviewedAt: review.state === 'in-step' || review.state === 'changed' ? review.review.at : undefined,
    intents: f.intents.length,
    uncoveredIntents: f.intents.filter((i) => i.evalCases.length === 0).length,
    evalCases: f.evalCases.length,
    findings: f.files.reduce((n, file) => n + (folder.byFile.get(file)?.filter((x) => x.subject?.artifact === artifact.id).length ?? 0), 0),
  };
}

/** Whether anything is at `p`, a link that leads nowhere included: a new file never replaces it. */
function isThere(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
