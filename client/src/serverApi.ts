import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ArtifactsRequest,
  CreateManifestRequest,
  FileStatusRequest,
  LensPlacesRequest,
  MarkReviewedRequest,
  ReportRequest,
  ReviewRequestRequest,
  SaveReviewRequestRequest,
  type ArtifactTarget,
  type ArtifactsResult,
  type CreateManifestParams,
  type CreateManifestResult,
  type FileStatusParams,
  type FileStatusResult,
  type LensPlacesParams,
  type LensPlacesResult,
  type MarkReviewedParams,
  type MarkReviewedResult,
  type ReportParams,
  type ReportResult,
  type ReviewRequestResult,
  type SaveResult,
  type SaveReviewRequestParams,
} from '../../server/src/protocol';
import { errorText, type Log } from './log';

/**
 * A request the language server failed or answered with nothing usable.
 * `userMessage` is the sentence to show; the details are already in the log.
 */
export class ServerRequestError extends Error {
  readonly userMessage: string;

  constructor(what: string, reason: string) {
    super(`Counterpart could not ${what}: ${reason}`);
    this.userMessage = `Counterpart could not ${what}. See the Counterpart output for details.`;
  }
}

/**
 * Counterpart's own requests, typed from protocol.ts. Every method logs a
 * failure and throws a ServerRequestError, so commands can show one message
 * and background updates can ignore it.
 */
export class ServerApi {
  constructor(
    private readonly client: LanguageClient,
    private readonly log: Log,
  ) {}

  artifacts(): Promise<ArtifactsResult> {
    return this.send<ArtifactsResult>(ArtifactsRequest, undefined, 'list the artifacts', (r) => Array.isArray(r.folders));
  }

  reviewRequest(target: ArtifactTarget): Promise<ReviewRequestResult> {
    return this.send<ReviewRequestResult>(ReviewRequestRequest, target, 'compose the review request', hasOk);
  }

  saveReviewRequest(params: SaveReviewRequestParams): Promise<SaveResult> {
    return this.send<SaveResult>(SaveReviewRequestRequest, params, 'save the review request', hasOk);
  }

  markReviewed(params: MarkReviewedParams): Promise<MarkReviewedResult> {
    return this.send<MarkReviewedResult>(MarkReviewedRequest, params, 'record the review', hasOk);
  }

  createManifest(params: CreateManifestParams): Promise<CreateManifestResult> {
    return this.send<CreateManifestResult>(CreateManifestRequest, params, 'create the manifest', hasOk);
  }

  fileStatus(params: FileStatusParams): Promise<FileStatusResult> {
    return this.send<FileStatusResult>(FileStatusRequest, params, "read the file's owner", (r) => typeof r.errors === 'number');
  }

  lensPlaces(params: LensPlacesParams): Promise<LensPlacesResult> {
    return this.send<LensPlacesResult>(LensPlacesRequest, params, 'find the places', (r) => Array.isArray(r.locations));
  }

  report(params: ReportParams): Promise<ReportResult> {
    return this.send<ReportResult>(ReportRequest, params, 'draw the Boundary Map', hasOk);
  }

  private async send<R extends object>(method: string, params: unknown, what: string, isValid: (result: R) => boolean): Promise<R> {
    let result: unknown;
    try {
      result = params === undefined ? await this.client.sendRequest<R>(method) : await this.client.sendRequest<R>(method, params);
    } catch (error) {
      this.log.error(`Request ${method} failed`, error);
      throw new ServerRequestError(what, errorText(error));
    }
    // A server handler that fails answers an empty result: treat it as a failure, not as data.
    if (typeof result !== 'object' || result === null || !isValid(result as R)) {
      this.log.error(`Request ${method} got an unusable answer: ${JSON.stringify(result)}`);
      throw new ServerRequestError(what, 'the language server gave no answer');
    }
    return result as R;
  }
}

function hasOk(result: { readonly ok?: unknown }): boolean {
  return typeof result.ok === 'boolean';
}
