/** The floor: a handler that loads nothing. */
export async function handler(event: unknown) {
  return event;
}
