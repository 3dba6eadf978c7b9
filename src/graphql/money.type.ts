import { Field, Int, ObjectType } from "type-graphql";
import { formatMoney, type Money as MoneyValue } from "../domain/money.js";

@ObjectType({ description: "An amount of money: integer minor units (cents) of an ISO 4217 currency, never a float." })
export class Money {
  @Field(() => Int, { description: "Minor units: 4500 is 45.00 EUR (and 4500 JPY, which has none)." })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 code, e.g. "EUR".' })
  currency!: string;

  @Field(() => String, { description: 'For display, in English, e.g. "€45.00".' })
  formatted!: string;
}

export const toMoney = (value: MoneyValue): Money => ({ ...value, formatted: formatMoney(value) });
