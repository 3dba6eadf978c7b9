import { decodeTimeIdCursor } from "../../domain/cursor.js";
import { BadCursorError } from "../../domain/errors.js";
import { isUuid, parseInt8 } from "../../domain/ids.js";
import { keysetPage, type Page } from "../../domain/page.js";
import { failure, invalidInput, type Outcome, type Problem, success } from "../../domain/problem.js";
import { type Viewer } from "../../domain/viewer.js";
import { type TargetGuard } from "./target-guard.js";
import { generateSecret, secretProblem } from "./webhook-secret.js";
import { checkWebhookUrl } from "./webhook-url.js";
import { type AttemptLogRecord, type DeliveryRecord, type WebhookRecord, type WebhookStore } from "./webhook.store.js";
import { type WebhookDeliveryStatusValue } from "./webhook.type.js";

export interface WebhookSettings {
  readonly requireHttps: boolean;
  readonly secretRotationGraceSeconds: number;
}

/** A webhook with its secret: what create and rotate answer, once. */
export interface WebhookWithSecret {
  readonly webhook: WebhookRecord;
  readonly secret: string;
}

const noSuchWebhook = (field = "id"): Problem => ({
  code: "NOT_FOUND",
  message: "No webhook with this id.",
  field: ["input", field],
});

/** The admins' commands and reads on webhooks (every caller is an admin: the resolver says so). */
export class WebhookService {
  constructor(
    private readonly store: WebhookStore,
    private readonly guard: TargetGuard,
    private readonly settings: WebhookSettings,
  ) {}

  async create(
    viewer: Viewer,
    input: { url: string; eventTypes?: string[] | null; secret?: string | null; description?: string | null },
  ): Promise<Outcome<WebhookWithSecret>> {
    const problems: Problem[] = [];
    const secret = input.secret ?? generateSecret();
    const badSecret = secretProblem(secret);
    if (badSecret) problems.push(invalidInput(badSecret, "secret"));
    const url = await checkWebhookUrl(input.url, { requireHttps: this.settings.requireHttps, guard: this.guard });
    if ("problem" in url) problems.push(url.problem);
    if (problems.length > 0 || !("url" in url)) return failure(problems);
    const description = input.description?.trim() || null;
    const eventTypes = [...new Set(input.eventTypes ?? [])].sort();
    const webhook = await this.store.create({ url: url.url, eventTypes, secret, description, createdBy: viewer.id });
    return success({ webhook, secret });
  }

  async get(id: string): Promise<WebhookRecord | null> {
    return isUuid(id) ? this.store.get(id) : null;
  }

  /** Webhooks by id, in the order asked, null where none. */
  async getMany(ids: readonly string[]): Promise<(WebhookRecord | null)[]> {
    const found = await this.store.getMany(ids.filter(isUuid));
    const byId = new Map(found.flatMap((webhook) => (webhook ? [[webhook.id, webhook] as const] : [])));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async list(first: number, after: string | null | undefined): Promise<Page<WebhookRecord>> {
    const key = after ? decodeTimeIdCursor(after) : null;
    const [rows, totalCount] = await Promise.all([this.store.page(first + 1, key), this.store.count()]);
    return keysetPage(rows, first, after, totalCount, (webhook) => webhook.createdAt);
  }

  async setEnabled(id: string, enabled: boolean): Promise<Outcome<WebhookRecord>> {
    const webhook = isUuid(id) ? await this.store.setEnabled(id, enabled) : null;
    return webhook ? success(webhook) : failure(noSuchWebhook());
  }

  async delete(id: string): Promise<Outcome<string>> {
    return isUuid(id) && (await this.store.delete(id)) ? success(id) : failure(noSuchWebhook());
  }

  async rotateSecret(id: string, given: string | null | undefined): Promise<Outcome<WebhookWithSecret>> {
    const secret = given ?? generateSecret();
    const badSecret = secretProblem(secret);
    if (badSecret) return failure(invalidInput(badSecret, "secret"));
    const webhook = isUuid(id) ? await this.store.rotate(id, secret, this.settings.secretRotationGraceSeconds) : null;
    return webhook ? success({ webhook, secret }) : failure(noSuchWebhook());
  }

  async replay(webhookId: string, deliveryIds: readonly string[] | null | undefined): Promise<Outcome<number>> {
    if (!isUuid(webhookId) || (await this.store.get(webhookId)) === null) return failure(noSuchWebhook("webhookId"));
    return success(await this.store.replay(webhookId, deliveryIds ? [...new Set(deliveryIds)] : null));
  }

  /** A page of a webhook's deliveries, newest first; `after` is a delivery id. */
  async deliveries(
    webhookId: string,
    statuses: readonly WebhookDeliveryStatusValue[] | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<{ items: DeliveryRecord[]; hasNextPage: boolean }> {
    const before = after ? parseInt8(after) : null;
    if (after && before === null) throw new BadCursorError("after");
    const rows = await this.store.deliveries(webhookId, statuses?.length ? statuses : null, first + 1, before);
    return { items: rows.slice(0, first), hasNextPage: rows.length > first };
  }

  /** The attempt logs of deliveries, by delivery id in the order asked (a DataLoader's batch). */
  async attemptLogs(deliveryIds: readonly string[]): Promise<AttemptLogRecord[][]> {
    const rows = await this.store.attempts(deliveryIds);
    const byDelivery = new Map<string, AttemptLogRecord[]>(deliveryIds.map((id) => [id, []]));
    for (const row of rows) byDelivery.get(row.deliveryId)?.push(row);
    return deliveryIds.map((id) => byDelivery.get(id) ?? []);
  }
}
