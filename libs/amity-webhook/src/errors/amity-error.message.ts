/** The message of a caught value, for a log line or a job's failure reason (a thrown non-Error as text). */
export function amityErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
