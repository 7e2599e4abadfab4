/** The pusher's BullMQ queue; its fan-out and delivery jobs come with the APNs and FCM providers. */
export const PUSH_QUEUE = 'push';
