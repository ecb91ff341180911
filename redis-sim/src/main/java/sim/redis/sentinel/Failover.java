package sim.redis.sentinel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The failover of one monitored master, as sentinel.c's state machine (sentinelStartFailoverIfNeeded,
 * sentinelFailoverWaitStart ... sentinelFailoverSwitchToPromotedSlave) and the INFO parsing that drives it
 * (sentinelRefreshInstanceInfo): promotion is seen in the promoted slave's INFO, reconfiguration in the
 * other slaves'.
 */
final class Failover {
  static final int NONE = 0;
  static final int WAIT_START = 1;
  static final int SELECT_SLAVE = 2;
  static final int SEND_SLAVEOF_NOONE = 3;
  static final int WAIT_PROMOTION = 4;
  static final int RECONF_SLAVES = 5;
  static final int UPDATE_CONFIG = 6;
  static final long INFO_PERIOD = 10_000;
  static final long PUBLISH_PERIOD = 2000;
  static final long SLAVE_RECONF_TIMEOUT = 10_000;

  private final Monitor m;
  private final SentinelHost host;

  Failover(Monitor m) {
    this.m = m;
    this.host = m.host;
  }

  /** sentinelStartFailoverIfNeeded + sentinelStartFailover: ODOWN, none running, none started too recently. */
  boolean startIfNeeded() {
    if (!m.odown || m.failoverInProgress) return false;
    if (host.now() - m.failoverStartTime < m.cfg.failoverTimeoutMs * 2) return false;
    m.failoverState = WAIT_START;
    m.failoverInProgress = true;
    host.currentEpoch(host.currentEpoch() + 1);
    m.failoverEpoch = host.currentEpoch();
    host.event("+new-epoch", Long.toString(m.failoverEpoch));
    host.event("+try-failover", m.masterDetail());
    m.failoverStartTime = host.now() + host.random((int) Monitor.MAX_DESYNC);
    m.failoverStateChangeTime = host.now();
    return true;
  }

  void step() {
    if (!m.failoverInProgress) return;
    switch (m.failoverState) {
      case WAIT_START -> waitStart();
      case SELECT_SLAVE -> selectSlaveState();
      case SEND_SLAVEOF_NOONE -> sendSlaveOfNoOne();
      case WAIT_PROMOTION -> {
        if (host.now() - m.failoverStateChangeTime > m.cfg.failoverTimeoutMs) abort("-failover-abort-slave-timeout");
      }
      case RECONF_SLAVES -> reconfNextSlave();
      default -> { }
    }
  }

  private void waitStart() {
    String leader = m.getLeader(m.failoverEpoch);
    if (leader == null || !leader.equalsIgnoreCase(host.myId())) {
      long electionTimeout = Math.min(Monitor.ELECTION_TIMEOUT, m.cfg.failoverTimeoutMs);
      if (host.now() - m.failoverStartTime > electionTimeout) abort("-failover-abort-not-elected");
      return;
    }
    host.event("+elected-leader", m.masterDetail());
    m.failoverState = SELECT_SLAVE;
    m.failoverStateChangeTime = host.now();
    host.event("+failover-state-select-slave", m.masterDetail());
  }

  private void selectSlaveState() {
    Instance slave = selectSlave();
    if (slave == null) {
      abort("-failover-abort-no-good-slave");
      return;
    }
    host.event("+selected-slave", m.slaveDetail(slave));
    slave.promoted = true;
    m.promotedSlave = slave;
    m.failoverState = SEND_SLAVEOF_NOONE;
    m.failoverStateChangeTime = host.now();
    host.event("+failover-state-send-slaveof-noone", m.slaveDetail(slave));
  }

  /**
   * sentinelSelectSlave: not SDOWN, answered a PING within 5 ping periods, INFO fresh, its link to the master
   * not down for longer than the master's down time plus 10 × down-after, priority not 0; then the lowest
   * slave-priority, the greatest replication offset, the smallest run id.
   */
  Instance selectSlave() {
    long now = host.now();
    long maxMasterDownTime = (m.master.sdown ? now - m.master.sdownSince : 0) + m.cfg.downAfterMs * 10;
    long infoValidity = m.master.sdown ? m.pingPeriod() * 5 : INFO_PERIOD * 3;
    List<Instance> ok = new ArrayList<>();
    for (Instance s : m.slaves.values()) {
      if (s.sdown) continue;
      if (now - s.lastAvailTime > m.pingPeriod() * 5) continue;
      if (s.priority == 0) continue;
      if (now - s.infoRefresh > infoValidity) continue;
      if (s.masterLinkDownTime > maxMasterDownTime) continue;
      ok.add(s);
    }
    ok.sort(Comparator.<Instance>comparingInt(s -> s.priority)
        .thenComparing(Comparator.<Instance>comparingLong(s -> s.replOffset).reversed())
        .thenComparing(s -> s.runId == null ? "\uffff" : s.runId.toLowerCase()));
    return ok.isEmpty() ? null : ok.get(0);
  }

  private void sendSlaveOfNoOne() {
    host.replicaof(m.promotedSlave, null, 0);
    host.event("+failover-state-wait-promotion", m.slaveDetail(m.promotedSlave));
    m.failoverState = WAIT_PROMOTION;
    m.failoverStateChangeTime = host.now();
  }

  /** sentinelFailoverReconfNextSlave: REPLICAOF the promoted slave, parallel-syncs at a time. */
  private void reconfNextSlave() {
    int inProgress = 0;
    for (Instance s : m.slaves.values()) if (s.reconfSent || s.reconfInprog) inProgress++;
    for (Instance s : m.slaves.values()) {
      if (inProgress >= m.cfg.parallelSyncs) break;
      if (s.promoted || s.reconfDone) continue;
      if (s.reconfSent && host.now() - s.reconfSentTime > SLAVE_RECONF_TIMEOUT) {
        host.event("-slave-reconf-sent-timeout", m.slaveDetail(s));
        s.reconfSent = false;
        s.reconfDone = true;
      }
      if (s.reconfSent || s.reconfInprog) continue;
      host.replicaof(s, m.promotedSlave.host, m.promotedSlave.port);
      s.reconfSent = true;
      s.reconfSentTime = host.now();
      host.event("+slave-reconf-sent", m.slaveDetail(s));
      inProgress++;
    }
    detectEnd();
  }

  /** sentinelFailoverDetectEnd: every reachable slave reconfigured, or failover-timeout. */
  private void detectEnd() {
    if (m.promotedSlave == null || m.promotedSlave.sdown) return;
    int notReconfigured = 0;
    for (Instance s : m.slaves.values()) if (!s.promoted && !s.reconfDone && !s.sdown) notReconfigured++;
    boolean timeout = host.now() - m.failoverStateChangeTime > m.cfg.failoverTimeoutMs;
    if (timeout) {
      notReconfigured = 0;
      host.event("+failover-end-for-timeout", m.masterDetail());
    }
    if (notReconfigured == 0) {
      host.event("+failover-end", m.masterDetail());
      m.failoverState = UPDATE_CONFIG;
      m.failoverStateChangeTime = host.now();
    }
    if (!timeout) return;
    for (Instance s : m.slaves.values()) {
      if (s.promoted || s.reconfDone || s.reconfSent) continue;
      host.replicaof(s, m.promotedSlave.host, m.promotedSlave.port);
      host.event("+slave-reconf-sent-be", m.slaveDetail(s));
      s.reconfSent = true;
    }
  }

  /** sentinelFailoverSwitchToPromotedSlave. */
  void switchToPromoted() {
    Instance ref = m.promotedSlave != null ? m.promotedSlave : m.master;
    host.event("+switch-master", m.name + " " + m.master.host + " " + m.master.port + " " + ref.host + " " + ref.port);
    m.resetAndChangeAddress(ref.host, ref.port);
  }

  private void abort(String why) {
    host.event(why, m.masterDetail());
    m.failoverInProgress = false;
    m.failoverState = NONE;
    m.failoverStateChangeTime = host.now();
    if (m.promotedSlave != null) {
      m.promotedSlave.promoted = false;
      m.promotedSlave = null;
    }
  }
}
