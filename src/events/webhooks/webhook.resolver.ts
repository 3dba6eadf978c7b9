import DataLoader from "dataloader";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { type Outcome } from "../../domain/problem.js";
import { viewerOf } from "../../graphql/auth-checker.js";
import { type Context } from "../../graphql/context.js";
import { withPublicErrors } from "../../graphql/errors.js";
import { ConnectionArgs, type Connection, DEFAULT_PAGE_SIZE, toConnection } from "../../graphql/pagination.js";
import { toUserError, type UserError } from "../../graphql/user-error.type.js";
import { inputProblems } from "../../graphql/validation.js";
import { type BookingEvent } from "../booking-event.type.js";
import { type EventEnvelope } from "../event-envelope.js";
import {
  CreateWebhookInput,
  DeleteWebhookPayload,
  ReplayWebhookDeliveriesInput,
  ReplayWebhookDeliveriesPayload,
  RotateWebhookSecretInput,
  WebhookIdInput,
  WebhookPayload,
} from "./webhook.input.js";
import { type WebhookService, type WebhookWithSecret } from "./webhook.service.js";
import { type AttemptLogRecord, type DeliveryRecord, type WebhookRecord } from "./webhook.store.js";
import {
  Webhook,
  WebhookConnection,
  WebhookDeliveriesArgs,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryConnection,
} from "./webhook.type.js";
import { fromGlobalId, toOptionalGlobalId, withDatabaseIds } from "../../graphql/global-id.js";

const errorsOf = (outcome: Outcome<unknown>): UserError[] => (outcome.ok ? [] : outcome.problems.map(toUserError));

const withSecret = (outcome: Outcome<WebhookWithSecret>): WebhookPayload => ({
  webhook: outcome.value?.webhook ?? null,
  secret: outcome.value?.secret ?? null,
  userErrors: errorsOf(outcome),
});

const withoutSecret = (outcome: Outcome<WebhookRecord>): WebhookPayload => ({
  webhook: outcome.value ?? null,
  secret: null,
  userErrors: errorsOf(outcome),
});

const webhookIdOf = (input: WebhookIdInput): string => withDatabaseIds(input, { id: "Webhook" }).id;

/** The envelope as the BookingEvent type has it (timestamp a Date). */
export const toBookingEvent = (event: EventEnvelope): BookingEvent => ({
  ...event,
  timestamp: new Date(event.timestamp),
});

/** Webhook endpoints: registration, secrets, enabling, and their deliveries (admins only). */
@Resolver(() => Webhook)
export class WebhookResolver {
  constructor(private readonly service: WebhookService) {}

  @Authorized("admin")
  @Query(() => WebhookConnection, { description: "Admins: the registered webhooks, newest first." })
  async webhooks(@Args(() => ConnectionArgs) args: ConnectionArgs): Promise<Connection<WebhookRecord>> {
    return toConnection(await withPublicErrors(this.service.list(args.first ?? DEFAULT_PAGE_SIZE, args.after)));
  }

  @Authorized("admin")
  @Query(() => Webhook, { nullable: true, description: "Admins: one webhook; null when there is none with this id." })
  async webhook(@Arg("id", () => ID) id: string): Promise<WebhookRecord | null> {
    return this.service.get(fromGlobalId(id, "Webhook", ["id"]));
  }

  @Authorized("admin")
  @Mutation(() => WebhookPayload, {
    description:
      "Registers an endpoint for booking events (every type unless `eventTypes` says). The URL must be http(s) and " +
      "reach a public address (WEBHOOK_ALLOW_PRIVATE_NETWORKS lets private ones through). The answer carries the " +
      "signing secret, once: it cannot be read later.",
  })
  async createWebhook(
    @Arg("input", () => CreateWebhookInput, { validate: false }) input: CreateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookPayload> {
    const problems = await inputProblems(input);
    if (problems.length > 0) return { webhook: null, secret: null, userErrors: problems.map(toUserError) };
    return withSecret(await this.service.create(viewerOf(ctx), input));
  }

  @Authorized("admin")
  @Mutation(() => WebhookPayload, {
    description:
      "Replaces the signing secret and returns the new one, once. The old one keeps signing too (both signatures in " +
      "`webhook-signature`) for WEBHOOK_SECRET_ROTATION_GRACE_SECONDS, so receivers can switch without losing events.",
  })
  async rotateWebhookSecret(
    @Arg("input", () => RotateWebhookSecretInput, { validate: false }) given: RotateWebhookSecretInput,
  ): Promise<WebhookPayload> {
    const input = withDatabaseIds(given, { id: "Webhook" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { webhook: null, secret: null, userErrors: problems.map(toUserError) };
    return withSecret(await this.service.rotateSecret(input.id, input.secret));
  }

  @Authorized("admin")
  @Mutation(() => WebhookPayload, {
    description:
      "Stops deliveries to the webhook: pending ones wait, and events sequenced while it is disabled are not queued " +
      "for it (read them from `bookingEvents`).",
  })
  async disableWebhook(
    @Arg("input", () => WebhookIdInput, { validate: false }) input: WebhookIdInput,
  ): Promise<WebhookPayload> {
    return withoutSecret(await this.service.setEnabled(webhookIdOf(input), false));
  }

  @Authorized("admin")
  @Mutation(() => WebhookPayload, { description: "Resumes deliveries: pending ones go out, new events are queued." })
  async enableWebhook(
    @Arg("input", () => WebhookIdInput, { validate: false }) input: WebhookIdInput,
  ): Promise<WebhookPayload> {
    return withoutSecret(await this.service.setEnabled(webhookIdOf(input), true));
  }

  @Authorized("admin")
  @Mutation(() => DeleteWebhookPayload, { description: "Deletes the webhook with its deliveries and their logs." })
  async deleteWebhook(
    @Arg("input", () => WebhookIdInput, { validate: false }) input: WebhookIdInput,
  ): Promise<DeleteWebhookPayload> {
    const outcome = await this.service.delete(webhookIdOf(input));
    return { deletedWebhookId: toOptionalGlobalId("Webhook", outcome.value), userErrors: errorsOf(outcome) };
  }

  @Authorized("admin")
  @Mutation(() => ReplayWebhookDeliveriesPayload, {
    description:
      "Sends deliveries again (the dead-letter replay): every DEAD one of the webhook, or the DEAD or DELIVERED ones " +
      "named. They become PENDING with attempts 0, due now; their attempt logs are kept.",
  })
  async replayWebhookDeliveries(
    @Arg("input", () => ReplayWebhookDeliveriesInput, { validate: false }) given: ReplayWebhookDeliveriesInput,
  ): Promise<ReplayWebhookDeliveriesPayload> {
    const input = withDatabaseIds(given, { webhookId: "Webhook" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { replayed: 0, userErrors: problems.map(toUserError) };
    const outcome = await this.service.replay(input.webhookId, input.deliveryIds);
    return { replayed: outcome.value ?? 0, userErrors: errorsOf(outcome) };
  }

  @FieldResolver(() => WebhookDeliveryConnection, {
    description: "Its deliveries, newest first; every status unless `status` says (DEAD: the dead letters).",
  })
  async deliveries(
    @Root() webhook: WebhookRecord,
    @Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs,
  ): Promise<WebhookDeliveryConnection> {
    const first = args.first ?? 20;
    const page = await withPublicErrors(this.service.deliveries(webhook.id, args.status, first, args.after));
    const edges = page.items.map((delivery) => ({ cursor: delivery.id, node: toDelivery(delivery) }));
    return {
      edges,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: Boolean(args.after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}

const toDelivery = (delivery: DeliveryRecord): WebhookDelivery => ({
  ...delivery,
  event: toBookingEvent(delivery.event),
});

/** WebhookDelivery.attemptLog: the attempts of a page of deliveries in one read per operation. */
@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  // One loader per operation (its context), dropped with it.
  private readonly loaders = new WeakMap<Context, DataLoader<string, AttemptLogRecord[]>>();

  constructor(private readonly service: WebhookService) {}

  @FieldResolver(() => [WebhookDeliveryAttempt], { description: "Every attempt, oldest first." })
  async attemptLog(@Root() delivery: WebhookDelivery, @Ctx() ctx: Context): Promise<WebhookDeliveryAttempt[]> {
    let loader = this.loaders.get(ctx);
    if (!loader) {
      loader = new DataLoader((ids: readonly string[]) => this.service.attemptLogs(ids));
      this.loaders.set(ctx, loader);
    }
    return loader.load(delivery.id);
  }
}
