/**
 * Addresses social.plus sends webhooks from, per region, as published on its "Webhook Events"
 * page (in force since June 9, 2025, when the previous ones stopped working).
 */
export const AMITY_SENDER_IPS = {
  singapore: ['52.77.130.167', '54.251.77.74', '54.255.59.189', '18.142.212.217'],
  'europe-frankfurt': ['3.127.106.141', '3.65.238.41', '3.65.52.7', '3.77.135.138'],
  'us-north-virginia': ['52.70.191.115', '100.24.154.219', '52.44.28.213', '52.72.76.90'],
} as const satisfies Record<string, readonly string[]>;

/** A social.plus region whose sender addresses can be allowed by name. */
export type AmitySenderRegion = keyof typeof AMITY_SENDER_IPS;
