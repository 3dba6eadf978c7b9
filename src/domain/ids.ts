const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Show and booking ids are UUIDs; anything else cannot name a row, so it is answered as "not found" without a query. */
export const isUuid = (value: string): boolean => UUID.test(value);
