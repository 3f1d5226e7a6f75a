/** What the receiver answers: a status and a JSON body, already serialised. */
export interface AmityWebhookReply {
  readonly status: number;
  readonly body: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  503: 'Service Unavailable',
};

/** The acknowledgement social.plus expects: `200` with an empty JSON object. */
export const AMITY_ACK: AmityWebhookReply = Object.freeze({ status: 200, body: '{}' });

/** An error reply in Nest's usual shape: `{ statusCode, error, message }`, plus optional details. */
export function amityErrorReply(status: number, message: string, details?: Record<string, unknown>): AmityWebhookReply {
  return {
    status,
    body: JSON.stringify({ statusCode: status, error: REASONS[status] ?? 'Error', message, ...details }),
  };
}
