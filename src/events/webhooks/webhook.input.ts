import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { IsInt8Digits, NoControlCharacters } from "../../graphql/validation.js";
import { UserError } from "../../graphql/user-error.type.js";
import { BookingEventType } from "../booking-event.type.js";
import { BOOKING_EVENT_TYPES } from "../event-types.js";
import { Webhook } from "./webhook.type.js";

@InputType({ description: "A webhook endpoint to register." })
export class CreateWebhookInput {
  @Field(() => String, {
    description:
      "Where events are POSTed: http(s), no credentials in it, a public address (checked now and at every delivery).",
  })
  @MaxLength(2048, { message: "url must be at most 2048 characters" })
  url!: string;

  @Field(() => [BookingEventType], { nullable: true, description: "Only these types; null or empty: every type." })
  @IsOptional()
  @ArrayMaxSize(BOOKING_EVENT_TYPES.length, { message: "eventTypes lists a type more than once" })
  eventTypes?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      "A Standard Webhooks secret (`whsec_` + base64 of 24–64 random bytes); left out, one is generated. Returned once.",
  })
  @IsOptional()
  @MaxLength(200, { message: "secret is too long to be a webhook secret" })
  secret?: string | null;

  @Field(() => String, { nullable: true, description: "What it is for (at most 500 characters)." })
  @IsOptional()
  @MaxLength(500, { message: "description must be at most 500 characters" })
  @NoControlCharacters("description")
  description?: string | null;
}

@InputType({ description: "A webhook to act on." })
export class WebhookIdInput {
  @Field(() => ID, { description: "The webhook." })
  @MaxLength(100, { message: "id is not a webhook id" })
  id!: string;
}

@InputType({ description: "A webhook whose secret to replace." })
export class RotateWebhookSecretInput {
  @Field(() => ID, { description: "The webhook." })
  @MaxLength(100, { message: "id is not a webhook id" })
  id!: string;

  @Field(() => String, { nullable: true, description: "The new secret (`whsec_…`); left out, one is generated." })
  @IsOptional()
  @MaxLength(200, { message: "secret is too long to be a webhook secret" })
  secret?: string | null;
}

@InputType({ description: "Deliveries of a webhook to send again." })
export class ReplayWebhookDeliveriesInput {
  @Field(() => ID, { description: "The webhook." })
  @MaxLength(100, { message: "webhookId is not a webhook id" })
  webhookId!: string;

  @Field(() => [ID], {
    nullable: true,
    description: "These deliveries (DEAD or DELIVERED ones); left out: every DEAD delivery of the webhook.",
  })
  @IsOptional()
  @ArrayMinSize(1, { message: "deliveryIds must not be empty (leave it out to replay every dead delivery)" })
  @ArrayMaxSize(1000, { message: "deliveryIds may list at most 1000 deliveries" })
  @IsInt8Digits("deliveryIds must be delivery ids", { each: true })
  deliveryIds?: string[] | null;
}

@ObjectType({ description: "Result of createWebhook, rotateWebhookSecret, enableWebhook and disableWebhook." })
export class WebhookPayload {
  @Field(() => Webhook, { nullable: true, description: "The webhook after the change; null when nothing was done." })
  webhook!: Webhook | null;

  @Field(() => String, {
    nullable: true,
    description: "The signing secret: only createWebhook and rotateWebhookSecret return it, once. Keep it safe.",
  })
  secret!: string | null;

  @Field(() => [UserError], { description: "Why nothing was done; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of deleteWebhook." })
export class DeleteWebhookPayload {
  @Field(() => ID, { nullable: true, description: "The deleted webhook's id; null when nothing was deleted." })
  deletedWebhookId!: string | null;

  @Field(() => [UserError], { description: "Why nothing was deleted; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "Result of replayWebhookDeliveries." })
export class ReplayWebhookDeliveriesPayload {
  @Field(() => Int, { description: "Deliveries made PENDING again (attempts 0, due now)." })
  replayed!: number;

  @Field(() => [UserError], { description: "Why nothing was replayed; empty on success." })
  userErrors!: UserError[];
}
