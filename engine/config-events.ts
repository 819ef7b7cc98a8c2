// AWS Config's names for its events, as the Config rule Lambda receives them (`messageType`), as
// EventBridge delivers compliance changes (`source`, `detail-type`), and as the templates subscribe
// to them. One home, so the handler, the notifier and the templates cannot drift apart.

/** EventBridge `source` of every event AWS Config emits. */
export const CONFIG_EVENT_SOURCE = "aws.config";

/** EventBridge `detail-type` of a Config rule's compliance change (what the notifier reads). */
export const COMPLIANCE_CHANGE = "Config Rules Compliance Change";

/** `messageType` of a Config rule invocation. */
export const MESSAGE_TYPE = {
  /** A configuration item changed; the item is in the event. */
  change: "ConfigurationItemChangeNotification",
  /** A configuration item changed but was too large for the event; only a summary is in it. */
  oversized: "OversizedConfigurationItemChangeNotification",
  /** A periodic evaluation (the scheduled sweep). */
  scheduled: "ScheduledNotification",
  /** A configuration snapshot was delivered (carries no item). */
  snapshotDelivered: "ConfigurationSnapshotDeliveryCompleted",
} as const;
