/**
 * Counterpart's own requests between the VS Code client and the language
 * server, declared once and imported by both. Plain JSON shapes only.
 */

/** Where a request is about: a document (and position), or an artifact in a folder. */
export interface ArtifactTarget {
  /** A document URI; the artifact is the one owning this file (or at `position` in the manifest). */
  readonly uri?: string;
  readonly position?: { readonly line: number; readonly character: number };
  /** Or an artifact id, with the workspace folder URI it belongs to. */
  readonly artifactId?: string;
  readonly folderUri?: string;
}

export interface ArtifactSummary {
  readonly folderUri: string;
  readonly folderName: string;
  readonly id: string;
  readonly kind: string;
  /** "system prompt", "tool description"… */
  readonly kindLabel: string;
  readonly ownerId: string;
  readonly ownerTitle: string;
  readonly ownerLead?: string;
  readonly counterpartTitle?: string;
  readonly counterpartLead?: string;
  /** The first file (or where the pointer's value is), to open. */
  readonly location?: { readonly uri: string; readonly line: number; readonly character: number };
  readonly review: 'in-step' | 'changed' | 'never-reviewed' | 'unknown';
  readonly reviewedBy?: string;
  readonly reviewedAt?: string;
  readonly intents: number;
  readonly uncoveredIntents: number;
  readonly evalCases: number;
  readonly findings: number;
}

/** counterpart/artifacts: every artifact of every folder, for the Boundary view and pickers. */
export const ArtifactsRequest = 'counterpart/artifacts';
export interface ArtifactsResult {
  readonly folders: readonly {
    readonly folderUri: string;
    readonly folderName: string;
    readonly manifestUri?: string;
    /** Why this folder has no artifacts, in words, when it has none. */
    readonly problem?: string;
    readonly owners: readonly { readonly id: string; readonly title: string; readonly lead?: string }[];
    readonly artifacts: readonly ArtifactSummary[];
  }[];
}

/** counterpart/reviewRequest: compose the review request markdown for an artifact. */
export const ReviewRequestRequest = 'counterpart/reviewRequest';
export type ReviewRequestResult =
  | {
      readonly ok: true;
      readonly artifactId: string;
      readonly folderUri: string;
      readonly title: string;
      readonly markdown: string;
      /** The counterpart's GitHub team or lead, to mention. */
      readonly mention?: string;
      /** The counterpart's review channel. */
      readonly url?: string;
      /** "owner/repo" of the origin remote on GitHub, when known (never in restricted mode). */
      readonly githubRepository?: string;
      /** The counterpart side's title and GitHub names (`@org/team`, `@user`), to request on a pull request. */
      readonly counterpart?: { readonly title: string; readonly reviewers: readonly string[] };
      /** The origin remote's URL and the current branch, when git knows them (never in restricted mode). */
      readonly remoteUrl?: string;
      readonly branch?: string;
    }
  | { readonly ok: false; readonly problem: string; readonly choices?: readonly ArtifactSummary[] };

/** counterpart/saveReviewRequest: write the request under .counterpart/requests/ (atomically). */
export const SaveReviewRequestRequest = 'counterpart/saveReviewRequest';
export interface SaveReviewRequestParams {
  readonly folderUri: string;
  readonly artifactId: string;
  readonly markdown: string;
}
export type SaveResult = { readonly ok: true; readonly uri: string } | { readonly ok: false; readonly problem: string };

/** counterpart/markReviewed: record the counterpart's sign-off in the ledger. */
export const MarkReviewedRequest = 'counterpart/markReviewed';
export interface MarkReviewedParams extends ArtifactTarget {
  /** Record even when the person is not on the counterpart side (after the user confirmed). */
  readonly force?: boolean;
}
export type MarkReviewedResult =
  | { readonly ok: true; readonly message: string; readonly warning?: string; readonly ledgerUri: string }
  | { readonly ok: false; readonly problem: string; readonly canForce?: boolean; readonly choices?: readonly ArtifactSummary[] };

/** counterpart/createManifest: write a starter manifest from the folder's files (the `init` scan). */
export const CreateManifestRequest = 'counterpart/createManifest';
export interface CreateManifestParams {
  readonly folderUri: string;
}
export type CreateManifestResult = { readonly ok: true; readonly uri: string; readonly summary: string } | { readonly ok: false; readonly problem: string; readonly uri?: string };

/** counterpart/fileStatus: the owner of a file and its open findings, for the status bar. */
export const FileStatusRequest = 'counterpart/fileStatus';
export interface FileStatusParams {
  readonly uri: string;
  /** The cursor: in a file holding several located artifacts, the status is the one here. */
  readonly position?: { readonly line: number; readonly character: number };
}
export interface FileStatusResult {
  /** "ML Platform", or undefined when no artifact or surface covers the file. */
  readonly ownerTitle?: string;
  readonly ownerLead?: string;
  readonly counterpartTitle?: string;
  readonly counterpartLead?: string;
  readonly artifactId?: string;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** Your side, when known: "Product". */
  readonly yourSide?: string;
}

/**
 * counterpart/lensPlaces: the places behind a lens ("12 eval cases"),
 * fetched when it is clicked, so a lens carries a few ids, never thousands
 * of places.
 */
export const LensPlacesRequest = 'counterpart/lensPlaces';
export interface LensPlacesParams {
  /** The document the lens is in. */
  readonly uri: string;
  /** The lens as listed: what it is about (an artifact's evals or intents, a marker's intent). */
  readonly stub: unknown;
}
export interface LensPlacesResult {
  readonly heading: string;
  readonly locations: readonly { readonly uri: string; readonly range: { readonly start: { line: number; character: number }; readonly end: { line: number; character: number } } }[];
}

/**
 * counterpart/report: the Boundary Map of a folder (map, calendar and drift list) as one HTML
 * document for a webview, built from the current index and findings. The calendar reads git, so
 * it is left out, and the page says why, in a restricted (untrusted) workspace.
 */
export const ReportRequest = 'counterpart/report';
export interface ReportParams {
  /** The folder to map; by default the first folder with a manifest. */
  readonly folderUri?: string;
  /** The nonce the page's own script carries (the Content Security Policy allows only it). */
  readonly nonce: string;
  /** The webview's `cspSource`, for the policy's style and image sources. */
  readonly cspSource: string;
}
export type ReportResult =
  | {
      readonly ok: true;
      readonly folderUri: string;
      readonly folderName: string;
      /** The manifest's folder: every `data-file` in the page is relative to it. */
      readonly rootUri: string;
      readonly html: string;
    }
  | { readonly ok: false; readonly problem: string };

/**
 * counterpart/timings: how long each request handler took (milliseconds,
 * the last 5,000 per handler), for the benchmark; `reset` starts over.
 */
export const TimingsRequest = 'counterpart/timings';
export interface TimingsParams {
  readonly reset?: boolean;
}
export type TimingsResult = Record<string, number[]>;

/** counterpart/status (server → client notification): what the server is doing, for the status bar. */
export const StatusNotification = 'counterpart/status';
export interface StatusParams {
  readonly state: 'indexing' | 'ready' | 'no-manifest';
  readonly trusted: boolean;
  readonly folders: number;
  readonly findings: number;
  readonly identity?: string;
  /** A manifest does not parse: findings come from its last good version until it does. */
  readonly lastGoodManifest?: boolean;
}

/** Client command ids the server's lenses and code actions invoke. */
export const Commands = {
  requestReview: 'counterpart.requestReview',
  markReviewed: 'counterpart.markReviewed',
  showBoundary: 'counterpart.showBoundary',
  /**
   * Arguments: (title: string, locations: {uri, range}[]), or (title, { uri, stub }) of a lens whose
   * places the client fetches with counterpart/lensPlaces when clicked: peeks the places.
   */
  showLocations: 'counterpart.showLocations',
  openManifest: 'counterpart.openManifest',
} as const;

/** What the client passes at start. */
export interface InitializationOptions {
  /** False in a restricted (untrusted) workspace: the server then runs no git and writes nothing. */
  readonly trusted: boolean;
}

/** Settings, under `counterpart.` (resource scope where per folder). */
export interface Settings {
  readonly manifest: string;
  readonly identity: string;
  readonly codeLens: { readonly enabled: boolean };
  readonly severity: Readonly<Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'>>;
}
