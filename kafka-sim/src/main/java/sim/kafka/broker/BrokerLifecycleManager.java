package sim.kafka.broker;

import sim.core.Durations;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.KafkaMessage.BrokerHeartbeat;
import sim.kafka.broker.KafkaMessage.BrokerHeartbeatResponse;
import sim.kafka.broker.KafkaMessage.BrokerRegistration;
import sim.kafka.broker.KafkaMessage.KraftBrokerHeartbeat;
import sim.kafka.broker.KafkaMessage.KraftBrokerHeartbeatResponse;

/**
 * A broker's session with the controller (Kafka's BrokerLifecycleManager): it registers, then heartbeats every
 * {@code broker.heartbeat.interval.ms}; a heartbeat answered "not registered" makes the next one a registration.
 *
 * <p>Single controller: the heartbeat carries the metadata version the broker applied, and a controller that is ahead
 * pushes LeaderAndIsr. KRaft: the heartbeat carries {@code currentMetadataOffset}, the last committed offset the
 * broker's metadata loader replayed. The broker is STARTING until an answer says it caught up with its own
 * RegisterBrokerRecord; then it publishes its metadata to its replicas and, ready to unfence, stops asking to be
 * fenced (wantFence false), and the controller unfences it. While starting it heartbeats again 10 ms after each answer,
 * as Kafka does, instead of waiting out the interval.
 */
final class BrokerLifecycleManager {
  /** BrokerLifecycleManager's delay between heartbeats while STARTING. */
  static final long STARTING_HEARTBEAT_MS = 10;
  /** The first delay of BrokerLifecycleManager's resendExponentialBackoff after a failed heartbeat. */
  static final long FAILURE_BACKOFF_MS = 100;

  private final KafkaConfig config;
  private final ControllerTarget controller;
  private final MetadataLoader loader;
  private long incarnationId;
  private boolean registered;
  private boolean caughtUp;
  private boolean fenced = true;
  private long soon;

  /** {@code loader} null: the single controller's session. */
  BrokerLifecycleManager(KafkaConfig config, ControllerTarget controller, MetadataLoader loader) {
    this.config = config;
    this.controller = controller;
    this.loader = loader;
  }

  void start(NodeContext ctx, long incarnationId) {
    this.incarnationId = incarnationId;
    controller.heartbeat(ctx, new BrokerRegistration(ctx.self(), incarnationId));
    ctx.setTimer(new BrokerTimer.Heartbeat(), Durations.millis(config.brokerHeartbeatIntervalMs()));
  }

  /** The interval's heartbeat; {@code metadataVersion} is what a single-controller broker applied. */
  void onHeartbeatTimer(NodeContext ctx, long metadataVersion) {
    controller.heartbeat(ctx, heartbeat(ctx.self(), metadataVersion));
    ctx.setTimer(new BrokerTimer.Heartbeat(), Durations.millis(config.brokerHeartbeatIntervalMs()));
  }

  void onHeartbeatSoon(NodeContext ctx, BrokerTimer.HeartbeatSoon t) {
    if (t.seq() == soon) controller.heartbeat(ctx, heartbeat(ctx.self(), -1));
  }

  private Message heartbeat(NodeId self, long metadataVersion) {
    if (!registered) return new BrokerRegistration(self, incarnationId);
    if (loader == null) return new BrokerHeartbeat(self, incarnationId, metadataVersion);
    return new KraftBrokerHeartbeat(self, incarnationId, loader.currentMetadataOffset(), !caughtUp);
  }

  void onResponse(NodeContext ctx, NodeId from, BrokerHeartbeatResponse r) {
    if (r.incarnationId() == incarnationId) registered = r.registered();
    controller.onAnswer(ctx, from, r);
  }

  void onKraftResponse(NodeContext ctx, NodeId from, KraftBrokerHeartbeatResponse r) {
    controller.onAnswer(ctx, from, r);
    if (r.incarnationId() != incarnationId) return;
    registered = r.registered();
    if (!registered) return;
    fenced = r.isFenced();
    boolean starting = !caughtUp;
    if (starting && r.isCaughtUp()) {
      caughtUp = true;
      ctx.point("kafka.broker.metadata.caught-up", ctx.self() + " caught up with its RegisterBrokerRecord (metadata offset "
          + loader.currentMetadataOffset() + "): STARTING -> RECOVERY, publishing its metadata, ready to unfence", "offset", loader.currentMetadataOffset());
      loader.startPublishing(ctx);
    }
    if (starting) ctx.setTimer(new BrokerTimer.HeartbeatSoon(++soon), Durations.millis(STARTING_HEARTBEAT_MS));
  }

  /**
   * KRaft: a registration or heartbeat answered NOT_CONTROLLER is resent after 100 ms (scheduleNextCommunicationAfterFailure's
   * first backoff) to the controller then known, instead of waiting out the interval.
   */
  void onNotController(NodeContext ctx) {
    if (loader != null) ctx.setTimer(new BrokerTimer.HeartbeatSoon(++soon), Durations.millis(FAILURE_BACKOFF_MS));
  }

  boolean registered() {
    return registered;
  }

  String describe() {
    if (loader == null) return registered ? "registered" : "not registered";
    return !registered ? "not registered" : !caughtUp ? "STARTING (catching up with the metadata log)" : fenced ? "RECOVERY (caught up, fenced)" : "RUNNING";
  }
}
