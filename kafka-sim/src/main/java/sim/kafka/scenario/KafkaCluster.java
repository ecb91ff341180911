package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.lin.HistoryRecorder;
import sim.kafka.broker.Broker;
import sim.kafka.broker.Controller;
import sim.kafka.broker.ControllerTarget;
import sim.kafka.raft.KraftController;
import sim.kafka.raft.RaftConfig;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.RuleBreaks;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.Consumer;
import sim.kafka.client.AsyncGroupConsumer;
import sim.kafka.client.GroupConsumer;
import sim.kafka.group.ConsumerGroupConfig;
import sim.kafka.client.GroupConsumerConfig;
import sim.kafka.client.GroupLedger;
import sim.kafka.client.Producer;
import sim.kafka.client.TransactionalProducer;
import sim.kafka.client.ConsumeTransformProduce;
import sim.kafka.client.TxnConsumer;
import sim.kafka.client.TxnLedger;
import sim.kafka.txn.TransactionCoordinator;
import sim.kafka.group.GroupCoordinator;
import sim.kafka.history.LogOperation;
import sim.kafka.history.OperationLog;
import sim.kafka.log.Log;

/**
 * Builds a cluster on a simulation (controller, brokers b1..bN, a producer and a consumer), reads the rule
 * breaks the run asked for, and registers Kafka's checks ({@link KafkaChecks}) over what the
 * {@link ClusterWatch} sees after every event. The {@link Story} keeps the narration for lesson checks.
 */
public final class KafkaCluster {
  public static final NodeId CONTROLLER = NodeId.of("controller");
  public static final NodeId PRODUCER = NodeId.of("producer");
  public static final NodeId CONSUMER = NodeId.of("consumer");
  public static final NodeId TXN_PRODUCER = NodeId.of("txn-producer");
  public static final NodeId TXN_PRODUCER_2 = NodeId.of("txn-producer-2");
  public static final NodeId READ_COMMITTED = NodeId.of("rc-consumer");
  public static final NodeId READ_UNCOMMITTED = NodeId.of("ru-consumer");

  private final Simulation sim;
  private final ClusterSpec spec;
  private final List<NodeId> brokers = new ArrayList<>();
  private RaftConfig raftConfig = RaftConfig.defaults(List.of());
  private final List<NodeId> voters = new ArrayList<>();
  private final List<TopicPartition> tps = new ArrayList<>();
  private final Map<String, TopicPartition> byName = new HashMap<>();
  private final HistoryRecorder<LogOperation, Object> history = new HistoryRecorder<>();
  private final Story story = new Story();
  /** Made once the brokers and partitions exist: it sizes its arrays by them. */
  private ClusterWatch watch;

  ClusterWatch watch() {
    return watch;
  }

  Simulation simulation() {
    return sim;
  }
  private final GroupLedger groupLedger = new GroupLedger();
  private final TxnLedger txnLedger = new TxnLedger();
  private final List<TopicPartition> txnPartitions = new ArrayList<>();
  private final List<NodeId> members = new ArrayList<>();
  private RuleBreaks breaks = RuleBreaks.NONE;
  private KafkaChecks checks;
  private GroupChecks groupChecks;

  private KafkaCluster(Simulation sim, ClusterSpec spec) {
    this.sim = sim;
    this.spec = spec;
  }

  public static KafkaCluster install(Simulation sim, ClusterSpec spec) {
    return install(sim, spec, 1);
  }

  /**
   * With {@code controllers} > 1, a KRaft quorum of that many controller nodes (controller, controller-2, ...) whose
   * Raft leader is the active controller ({@link KraftController}); with 1, the single persisting {@link Controller}.
   */
  public static KafkaCluster install(Simulation sim, ClusterSpec spec, int controllers) {
    return install(sim, spec, controllers, RaftConfig.defaults(List.of()).maxRecordBytesBetweenSnapshots());
  }

  /** A KRaft cluster whose controllers snapshot after {@code maxRecordBytesBetweenSnapshots} (a scenario may lower it). */
  public static KafkaCluster install(Simulation sim, ClusterSpec spec, int controllers, long maxRecordBytesBetweenSnapshots) {
    return install(sim, spec, controllers, RaftConfig.defaults(List.of()).withMaxRecordBytesBetweenSnapshots(maxRecordBytesBetweenSnapshots));
  }

  /** A KRaft cluster with these quorum settings (the voters are filled in): snapshot and retention thresholds a scenario lowered. */
  public static KafkaCluster install(Simulation sim, ClusterSpec spec, int controllers, RaftConfig quorum) {
    KafkaCluster c = new KafkaCluster(sim, spec);
    c.raftConfig = quorum;
    for (int i = 1; i <= controllers; i++) c.voters.add(i == 1 ? CONTROLLER : NodeId.of("controller-" + i));
    c.breaks = new RuleBreaks(sim.isBroken(RuleBreaks.HW_BEFORE_FOLLOWER_FETCH), sim.isBroken(RuleBreaks.ELECT_OUT_OF_SYNC_REPLICA),
        sim.isBroken(RuleBreaks.SKIP_EPOCH_TRUNCATION), sim.isBroken(RuleBreaks.IGNORE_MIN_INSYNC),
        sim.isBroken(RuleBreaks.DELETE_ABOVE_HIGH_WATERMARK), sim.isBroken(RuleBreaks.READ_COMMITTED_IGNORES_LSO),
        sim.isBroken(RuleBreaks.TXN_VERIFICATION_SKIPPED));
    sim.trace().addListener(c.story);
    sim.trace().addListener(e -> {
      if (e.kind().equals("kafka.consumer.fetch")) c.watch.onConsumerFetch(e);
    });
    c.build();
    c.watch = new ClusterWatch(sim, c);
    c.checks = new KafkaChecks(sim, c, c.watch, spec);
    c.checks.register();
    if (spec.group() != null) {
      c.groupChecks = new GroupChecks(c, c.watch, spec.group());
      c.groupChecks.register(sim);
    }
    if (controllers > 1) new RaftChecks(sim, c.voters).register();
    if (controllers > 1) new ProducerIdChecks(sim, c.voters).register();
    if (controllers > 1) new MetadataChecks(sim, c.voters, c.brokers).register();
    if (spec.txn() != null) new ReadCommittedCheck(c, c.watch).register(sim);
    if (spec.txn() != null && spec.txn().transformer() != null) new ExactlyOnceCheck(c, c.watch).register(sim);
    return c;
  }

  private void build() {
    for (int i = 1; i <= spec.brokers(); i++) brokers.add(NodeId.of("b" + i));
    List<PartitionState> initial = new ArrayList<>();
    for (int p = 0; p < spec.partitions(); p++) {
      TopicPartition tp = new TopicPartition(spec.topic(), p);
      tps.add(tp);
      List<NodeId> replicas = new ArrayList<>();
      for (int r = 0; r < spec.replicationFactor(); r++) replicas.add(brokers.get((p + r) % brokers.size()));
      initial.add(new PartitionState(tp, replicas, null, -1, replicas, 0));
      byName.put(tp.toString(), tp);
    }
    GroupCoordinator.Config groupConfig = GroupCoordinator.Config.defaults().withConsumer(ConsumerGroupConfig.defaults()
        .withAssignBeforeRevocation(sim.isBroken(ConsumerGroupConfig.ASSIGN_BEFORE_REVOCATION)));
    if (spec.offsetsPartitions() > 0) {
      groupConfig = groupConfig.withOffsetsTopicNumPartitions(spec.offsetsPartitions());
      int rf = Math.min(3, brokers.size());
      for (int p = 0; p < spec.offsetsPartitions(); p++) {
        TopicPartition tp = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, p);
        tps.add(tp);
        byName.put(tp.toString(), tp);
          List<NodeId> replicas = new ArrayList<>();
        for (int r = 0; r < rf; r++) replicas.add(brokers.get((p + r + 1) % brokers.size()));
        initial.add(new PartitionState(tp, replicas, null, -1, replicas, 0));
      }
    }
    if (spec.txn() != null) addTxnTopics(initial);
    GroupCoordinator.Config coordinatorConfig = groupConfig;
    OperationLog log = operationLog();
    if (voters.size() == 1) sim.addNode(CONTROLLER, () -> new Controller(spec.broker(), initial, breaks));
    RaftConfig quorum = raftConfig.withVoters(voters);
    if (voters.size() > 1) for (NodeId v : voters) sim.addNode(v, () -> new KraftController(spec.broker(), quorum, initial, breaks));
    RaftConfig observed = voters.size() > 1 ? quorum : null; // KRaft brokers observe the quorum's metadata log
    for (NodeId b : brokers) sim.addNode(b, () -> new Broker(spec.broker(), new ControllerTarget(voters), observed, breaks, coordinatorConfig));
    sim.addClient(PRODUCER, () -> new Producer(spec.producer(), spec.topic(), spec.partitions(), brokers, voters.size() == 1 ? CONTROLLER : null, log));
    if (spec.consumer()) sim.addClient(CONSUMER, () -> new Consumer(spec.topic(), spec.partitions(), brokers, log));
    if (spec.group() != null) {
      for (int i = 1; i <= spec.group().members(); i++) {
        NodeId id = NodeId.of("c" + i);
        members.add(id);
        GroupConsumerConfig c = spec.group().config();
        GroupConsumerConfig mine = c.groupInstanceId() == null ? c : c.withGroupInstanceId(c.groupInstanceId() + "-" + i);
        if (mine.consumerProtocol()) sim.addClient(id, () -> new AsyncGroupConsumer(mine, spec.topic(), spec.partitions(), brokers, groupLedger));
        else sim.addClient(id, () -> new GroupConsumer(mine, spec.topic(), spec.partitions(), brokers, groupLedger));
      }
    }
    if (spec.txn() != null) {
      var t = spec.txn();
      if (t.transformer() == null) sim.addClient(TXN_PRODUCER, () -> new TransactionalProducer(t.producer(), brokers, txnLedger));
      else sim.addClient(TXN_PRODUCER, () -> new ConsumeTransformProduce(t.transformer().withAutoCommitBreak(sim.isBroken(RuleBreaks.TXN_OFFSETS_OUTSIDE_TRANSACTION)),
          t.producer(), brokers, txnLedger));
      if (t.second() != null) sim.addClient(TXN_PRODUCER_2, () -> new TransactionalProducer(t.second(), brokers, txnLedger));
      sim.addClient(READ_COMMITTED, () -> new TxnConsumer(t.producer().topic(), t.producer().partitions(), brokers, true));
      sim.addClient(READ_UNCOMMITTED, () -> new TxnConsumer(t.producer().topic(), t.producer().partitions(), brokers, false));
    }
    sim.addInspector("segments", "segments <broker>: the log segments, epochs and producer state of each replica", this::segments);
  }

  /**
   * The transactional topic (replicated on every broker up to 3, leaders spread) and {@code __transaction_state}
   * (the same), appended after the data topic and the offsets topic.
   */
  private void addTxnTopics(List<PartitionState> initial) {
    int rf = Math.min(3, brokers.size());
    var t = spec.txn();
    for (int p = 0; p < t.producer().partitions(); p++) {
      TopicPartition tp = new TopicPartition(t.producer().topic(), p);
      txnPartitions.add(tp);
      addPartition(initial, tp, rf, p + 2);
    }
    for (int p = 0; p < t.stateLogPartitions(); p++) {
      addPartition(initial, new TopicPartition(TransactionCoordinator.TRANSACTION_STATE_TOPIC, p), rf, p);
    }
  }

  private void addPartition(List<PartitionState> initial, TopicPartition tp, int rf, int shift) {
    tps.add(tp);
    byName.put(tp.toString(), tp);
    List<NodeId> replicas = new ArrayList<>();
    for (int r = 0; r < rf; r++) replicas.add(brokers.get((shift + r) % brokers.size()));
    initial.add(new PartitionState(tp, replicas, null, -1, replicas, 0));
  }

  /** The transactional topic's partitions (empty without transactions). */
  public List<TopicPartition> txnPartitions() {
    return txnPartitions;
  }

  public TxnLedger txnLedger() {
    return txnLedger;
  }

  public TxnConsumer txnConsumer(NodeId id) {
    return sim.node(id, TxnConsumer.class);
  }

  public List<NodeId> brokers() {
    return brokers;
  }

  public List<TopicPartition> partitions() {
    return tps;
  }

  /**
   * The index of {@code tp} in {@link #partitions()}, or -1. Computed from the layout {@link #build} makes (the
   * data topic's partitions, then __consumer_offsets', then the transactional topic's and __transaction_state's),
   * not looked up: the checks ask it for every replica after every event.
   */
  int indexOf(TopicPartition tp) {
    int p = tp.partition();
    int base = 0;
    if (tp.topic().equals(spec.topic())) return within(p, spec.partitions(), base);
    base += spec.partitions();
    int offsets = spec.offsetsPartitions();
    if (offsets > 0 && tp.topic().equals(GroupCoordinator.OFFSETS_TOPIC)) return within(p, offsets, base);
    base += offsets;
    var t = spec.txn();
    if (t == null) return -1;
    if (tp.topic().equals(t.producer().topic())) return within(p, t.producer().partitions(), base);
    base += t.producer().partitions();
    if (tp.topic().equals(TransactionCoordinator.TRANSACTION_STATE_TOPIC)) return within(p, t.stateLogPartitions(), base);
    return -1;
  }

  private static int within(int partition, int count, int base) {
    return partition >= 0 && partition < count ? base + partition : -1;
  }

  /** The index of broker {@code id} in {@link #brokers()}, or -1 (a handful of brokers: a scan beats a map). */
  int brokerIndex(NodeId id) {
    for (int i = 0; i < brokers.size(); i++) if (brokers.get(i).equals(id)) return i;
    return -1;
  }

  /** The data topic's partitions, without __consumer_offsets. */
  public List<TopicPartition> dataPartitions() {
    return tps.subList(0, spec.partitions());
  }

  /** Whether {@code tp}'s replicas run the log cleaner (a data topic with cleanup.policy compact). */
  boolean compacted(TopicPartition tp) {
    return compacted(indexOf(tp));
  }

  /** {@link #compacted(TopicPartition)} by index into {@link #partitions()}. */
  boolean compacted(int partition) {
    return spec.broker().log().compact() && partition >= 0 && partition < spec.partitions();
  }

  /** The group consumers c1..cN (empty without a group). */
  public List<NodeId> groupMembers() {
    return members;
  }

  public GroupLedger groupLedger() {
    return groupLedger;
  }

  /** The partition named like its log directory ("orders-0"), or null. */
  public TopicPartition partition(String name) {
    return byName.get(name);
  }

  /** The scenario's narration, for lesson checks. */
  public Story story() {
    return story;
  }

  public RuleBreaks breaks() {
    return breaks;
  }

  GroupChecks groupChecks() {
    return groupChecks;
  }

  /** The safety checks, for lessons that show an allowed loss happened. */
  KafkaChecks checks() {
    return checks;
  }

  public ClusterSpec spec() {
    return spec;
  }

  /** The produce and fetch operations the clients recorded, for the linearizability check. */
  HistoryRecorder<LogOperation, Object> history() {
    return history;
  }

  private OperationLog operationLog() {
    Map<String, Integer> clients = new TreeMap<>();
    return new OperationLog() {
      @Override
      public long nowNanos() {
        return sim.nowNanos();
      }

      @Override
      public int invoke(String client, LogOperation op, long atNanos) {
        return history.invoke(clients.computeIfAbsent(client, k -> clients.size()), op, atNanos);
      }

      @Override
      public void ok(int id, Object output) {
        if (history.isOpen(id)) history.ok(id, output, sim.nowNanos());
      }

      @Override
      public void unknown(int id) {
        if (history.isOpen(id)) history.unknown(id);
      }
    };
  }

  /** The keys the partition holds now, offset -> key, from the same replica as {@link #finalLog}. */
  Map<Long, String> finalKeys(TopicPartition tp) {
    Map<Long, String> out = new TreeMap<>();
    for (var r : finalRecords(tp, true)) if (r.key() != null) out.put(r.offset(), r.keyText());
    return out;
  }

  /** The records {@link #finalLog} reads, a batch damaged on the source's disk taken from another replica ({@link FinalRead}). */
  private List<sim.kafka.record.LogRecord> finalRecords(TopicPartition tp, boolean wholeLog) {
    Broker source = finalSource(tp);
    if (source == null) return List.of();
    List<Log> others = new ArrayList<>();
    for (NodeId b : brokers) {
      Broker br = broker(b);
      if (br != null && br != source && br.log(tp) != null) others.add(br.log(tp));
    }
    return FinalRead.records(source.log(tp), others, wholeLog);
  }

  private Broker finalSource(TopicPartition tp) {
    Controller c = controller();
    PartitionState s = c == null ? watch.durable(tp) : c.partition(tp);
    Broker source = s != null && s.leader() != null ? broker(s.leader()) : null;
    if (source == null || source.log(tp) == null) {
      source = null;
      for (NodeId b : brokers) {
        Broker br = broker(b);
        if (br != null && br.log(tp) != null && (source == null || br.log(tp).logEndOffset() > source.log(tp).logEndOffset())) source = br;
      }
    }
    return source;
  }

  /** What the partition holds now, as offset -> value, from its current leader (or the longest live replica). */
  Map<Long, String> finalLog(TopicPartition tp) {
    Map<Long, String> out = new TreeMap<>();
    for (var r : finalRecords(tp, false)) out.put(r.offset(), r.valueText());
    return out;
  }

  /** The log {@link #finalLog} reads: the current leader's, or the longest live replica's (null if none). */
  Log finalSourceLog(TopicPartition tp) {
    Broker source = finalSource(tp);
    return source == null ? null : source.log(tp);
  }

  public Broker broker(NodeId id) {
    return sim.node(id, Broker.class);
  }

  /** The active controller: the single one, or the KRaft leader's of the highest epoch (null if none is active). */
  public Controller controller() {
    if (voters.size() == 1) return sim.node(CONTROLLER, Controller.class);
    KraftController best = kraftLeader();
    return best == null ? null : best.active();
  }

  private KraftController kraftLeader() {
    KraftController best = null;
    for (NodeId v : voters) {
      KraftController k = sim.node(v, KraftController.class);
      if (k != null && k.active() != null && (best == null || k.raft().epoch() > best.raft().epoch())) best = k;
    }
    return best;
  }

  /** Changes whenever the active controller's life does: the single controller's incarnation, or the KRaft epoch and leader. */
  int controllerIncarnation() {
    if (voters.size() == 1) return sim.incarnation(CONTROLLER);
    KraftController best = kraftLeader();
    for (int i = 0; best != null && i < voters.size(); i++) {
      if (sim.node(voters.get(i), KraftController.class) == best) return best.raft().epoch() * 64 + i;
    }
    return -1;
  }

  /** The KRaft voter that is the active controller of the highest epoch, or null. */
  public NodeId activeControllerId() {
    KraftController best = kraftLeader();
    for (NodeId v : voters) if (best != null && sim.node(v, KraftController.class) == best) return v;
    return null;
  }

  /** The controller nodes: one, or the KRaft voters. */
  public List<NodeId> voters() {
    return voters;
  }

  public Producer producer() {
    return sim.node(PRODUCER, Producer.class);
  }

  public Consumer consumer() {
    return spec.consumer() ? sim.node(CONSUMER, Consumer.class) : null;
  }

  private String segments(String arg) {
    NodeId id = NodeId.of(arg.isBlank() ? "b1" : arg.strip());
    if (!brokers.contains(id)) return "no broker " + id + " (brokers: " + brokers + ")";
    Broker b = broker(id);
    if (b == null) return id + " is down";
    StringBuilder out = new StringBuilder();
    for (TopicPartition tp : tps) {
      Log log = b.log(tp);
      if (log == null) continue;
      out.append(tp).append(" LEO ").append(log.logEndOffset()).append(", epochs ").append(log.epochs()).append(", producers ")
          .append(log.producers().producerCount()).append('\n');
      for (String s : log.segmentNames()) out.append("  ").append(s).append('\n');
      for (Log.BatchRef r : log.batches()) out.append("    ").append(r.header()).append(" @").append(r.position()).append('\n');
    }
    return out.toString();
  }
}
