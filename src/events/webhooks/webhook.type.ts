import { IsOptional, Max, Min } from "class-validator";
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType, PageInfo } from "../../graphql/pagination.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { IsInt8Digits } from "../../graphql/validation.js";
import { BookingEvent, BookingEventType } from "../booking-event.type.js";
import { Node } from "../../graphql/node.type.js";

/** The statuses as stored (webhook_delivery_status), named as GraphQL enums are. */
export const WebhookDeliveryStatus = { PENDING: "pending", DELIVERED: "delivered", DEAD: "dead" } as const;
export type WebhookDeliveryStatusValue = (typeof WebhookDeliveryStatus)[keyof typeof WebhookDeliveryStatus];

registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description: "Where a delivery stands.",
  valuesConfig: {
    PENDING: {
      description: "Not delivered yet: due at `nextAttemptAt`, or waiting for an earlier event of its booking.",
    },
    DELIVERED: { description: "The endpoint answered 2xx." },
    DEAD: { description: "Every attempt failed (WEBHOOK_MAX_ATTEMPTS): no more are made until it is replayed." },
  },
});

@ObjectType({
  description: "An endpoint that receives booking events, signed the Standard Webhooks way.",
  implements: Node,
})
export class Webhook implements Node {
  /** The database id: the API shows it as a global id (see nodeIdResolver). */
  id!: string;

  @Field(() => String, { description: "Where events are POSTed." })
  url!: string;

  @Field(() => String, { nullable: true, description: "What it is for, as the admin who registered it wrote." })
  description!: string | null;

  @Field(() => [BookingEventType], { description: "The types delivered; empty: every type." })
  eventTypes!: string[];

  @Field(() => Boolean, {
    description: "Disabled webhooks get nothing: no delivery is made, and events sequenced meanwhile are not queued.",
  })
  enabled!: boolean;

  @Field(() => String, { description: "The admin who registered it." })
  createdBy!: string;

  @Field(() => DateTimeScalar, { description: "When it was registered." })
  createdAt!: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "Until when the secret before the last rotation also signs deliveries; null when it no longer does.",
  })
  previousSecretExpiresAt!: Date | null;

  @Field(() => Int, { description: "Deliveries not yet made (due, retrying, or waiting for an earlier event)." })
  pendingDeliveries!: number;

  @Field(() => Int, { description: "Dead-lettered deliveries (replay them with replayWebhookDeliveries)." })
  deadDeliveries!: number;
}

@ObjectType()
export class WebhookConnection extends ConnectionType("Webhook", Webhook) {}

@ObjectType({ description: "One attempt of a delivery." })
export class WebhookDeliveryAttempt {
  @Field(() => Int, { description: "1, 2, 3… over the delivery's life (replays continue the count)." })
  attempt!: number;

  @Field(() => DateTimeScalar, { description: "When the request began." })
  startedAt!: Date;

  @Field(() => Int, { description: "From the request's start to the answer (or the failure)." })
  durationMs!: number;

  @Field(() => Int, { nullable: true, description: "The endpoint's HTTP status; null when it did not answer." })
  statusCode!: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Why it failed (the status and up to 1 KB of the answer, a timeout, a refused address); null: 2xx.",
  })
  error!: string | null;
}

@ObjectType({ description: "An event on its way to one webhook." })
export class WebhookDelivery {
  @Field(() => ID, { description: "The delivery's id (its cursor too)." })
  id!: string;

  @Field(() => BookingEvent, { description: "The event: the body that is POSTed is this, as JSON." })
  event!: BookingEvent;

  @Field(() => WebhookDeliveryStatus, { description: "Where it stands." })
  status!: WebhookDeliveryStatusValue;

  @Field(() => Int, { description: "Attempts made (since the last replay)." })
  attempts!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it is due next; null unless PENDING." })
  nextAttemptAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the last attempt began; null before the first." })
  lastAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true, description: "The last attempt's HTTP status; null when it got none." })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed; null after a success." })
  lastError!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the endpoint answered 2xx; null until then." })
  deliveredAt!: Date | null;

  @Field(() => DateTimeScalar, { description: "When the event was queued for this webhook (sequenced)." })
  createdAt!: Date;
}

@ObjectType({ description: "A WebhookDelivery in a page." })
export class WebhookDeliveryEdge {
  @Field(() => String, { description: "Pass as `after` to continue from here." })
  cursor!: string;

  @Field(() => WebhookDelivery, { description: "The delivery." })
  node!: WebhookDelivery;
}

@ObjectType({
  description:
    "A page of a webhook's deliveries, newest first. No total: see Webhook.pendingDeliveries/deadDeliveries.",
})
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge], { description: "This page's deliveries." })
  edges!: WebhookDeliveryEdge[];

  @Field(() => PageInfo, { description: "`endCursor`: pass it as `after` for the next (older) page." })
  pageInfo!: PageInfo;
}

export const MAX_DELIVERIES_PER_PAGE = 100;

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => [WebhookDeliveryStatus], { nullable: true, description: "Only these statuses (default: all)." })
  @IsOptional()
  status?: WebhookDeliveryStatusValue[] | null;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: `1–${MAX_DELIVERIES_PER_PAGE}; null means 20.` })
  @IsOptional()
  @Min(1)
  @Max(MAX_DELIVERIES_PER_PAGE)
  first?: number | null;

  @Field(() => String, { nullable: true, description: "A previous page's `pageInfo.endCursor`." })
  @IsOptional()
  @IsInt8Digits("after must be a delivery cursor")
  after?: string | null;
}
