package sim.redis.sentinel;

/**
 * sentinelRefreshInstanceInfo: what an INFO reply teaches a sentinel — run id, the master's slaves, a slave's
 * master, link status, priority and offset — and what it then does: see the promoted slave become a master
 * (+promoted-slave), follow the reconfiguration of the others (+slave-reconf-inprog, +slave-reconf-done),
 * and turn a server that claims to be a master while we know it as a slave back into one (+convert-to-slave).
 */
final class InfoRefresh {
  private InfoRefresh() {}

  static void refresh(Monitor m, Instance ri, boolean isMaster, String info) {
    SentinelHost host = m.host;
    long now = host.now();
    int role = Instance.ROLE_NONE;
    ri.masterLinkDownTime = 0;
    for (String l : info.split("\r\n")) {
      if (l.startsWith("run_id:") && l.length() >= 47) runId(m, ri, isMaster, l.substring(7, 47));
      if (isMaster && l.startsWith("slave") && l.length() > 5 && Character.isDigit(l.charAt(5))) addSlave(m, l);
      if (l.startsWith("master_link_down_since_seconds:")) ri.masterLinkDownTime = Long.parseLong(l.substring(31).trim()) * 1000;
      if (l.startsWith("role:master")) role = Instance.ROLE_MASTER;
      else if (l.startsWith("role:slave")) role = Instance.ROLE_SLAVE;
      if (role != Instance.ROLE_SLAVE) continue;
      if (l.startsWith("master_host:") && !l.substring(12).equalsIgnoreCase(String.valueOf(ri.slaveMasterHost))) {
        ri.slaveMasterHost = l.substring(12);
        ri.slaveConfChangeTime = now;
      }
      if (l.startsWith("master_port:") && Integer.parseInt(l.substring(12).trim()) != ri.slaveMasterPort) {
        ri.slaveMasterPort = Integer.parseInt(l.substring(12).trim());
        ri.slaveConfChangeTime = now;
      }
      if (l.startsWith("master_link_status:")) ri.slaveLinkUp = l.substring(19).equalsIgnoreCase("up");
      if (l.startsWith("slave_priority:")) ri.priority = Integer.parseInt(l.substring(15).trim());
      if (l.startsWith("slave_repl_offset:")) ri.replOffset = Long.parseLong(l.substring(18).trim());
    }
    ri.infoRefresh = now;
    if (role != ri.roleReported) {
      ri.roleReportedTime = now;
      ri.roleReported = role;
      if (role == Instance.ROLE_SLAVE) ri.slaveConfChangeTime = now;
    }
    if (!isMaster && role == Instance.ROLE_MASTER) slaveSaysMaster(m, ri);
    if (!isMaster && role == Instance.ROLE_SLAVE) slaveOfWrongMaster(m, ri);
    if (!isMaster && role == Instance.ROLE_SLAVE && (ri.reconfSent || ri.reconfInprog)) reconfProgress(m, ri);
  }

  private static void runId(Monitor m, Instance ri, boolean isMaster, String id) {
    if (ri.runId != null && !ri.runId.equals(id)) m.host.event("+reboot", isMaster ? m.masterDetail() : m.slaveDetail(ri));
    ri.runId = id;
  }

  private static void addSlave(Monitor m, String line) {
    int ip = line.indexOf("ip=");
    int port = line.indexOf("port=");
    if (ip < 0 || port < 0) return;
    String host = line.substring(ip + 3, line.indexOf(',', ip));
    int comma = line.indexOf(',', port);
    int p = Integer.parseInt(line.substring(port + 5, comma < 0 ? line.length() : comma));
    String key = host + ":" + p;
    if (m.slaves.containsKey(key) || (host.equals(m.master.host) && p == m.master.port)) return;
    Instance s = new Instance(host, p, m.host.now());
    m.slaves.put(key, s);
    m.host.event("+slave", m.slaveDetail(s));
    m.host.flushConfig();
  }

  private static void slaveSaysMaster(Monitor m, Instance ri) {
    if (ri.promoted && m.failoverInProgress && m.failoverState == Failover.WAIT_PROMOTION) {
      m.configEpoch = m.failoverEpoch;
      m.failoverState = Failover.RECONF_SLAVES;
      m.failoverStateChangeTime = m.host.now();
      m.host.flushConfig();
      m.host.event("+promoted-slave", m.slaveDetail(ri));
      m.host.event("+failover-state-reconf-slaves", m.masterDetail());
      m.host.helloNow();
      return;
    }
    long wait = Failover.PUBLISH_PERIOD * 4;
    if (!ri.promoted && m.masterLooksSane() && !ri.sdown && m.host.now() - ri.roleReportedTime > wait) {
      m.host.replicaof(ri, m.master.host, m.master.port);
      m.host.event("+convert-to-slave", m.slaveDetail(ri));
    }
  }

  private static void slaveOfWrongMaster(Monitor m, Instance ri) {
    if (ri.slaveMasterPort == m.master.port && m.master.host.equalsIgnoreCase(String.valueOf(ri.slaveMasterHost))) return;
    long wait = m.cfg.failoverTimeoutMs;
    if (m.masterLooksSane() && !ri.sdown && m.host.now() - ri.slaveConfChangeTime > wait) {
      m.host.replicaof(ri, m.master.host, m.master.port);
      m.host.event("+fix-slave-config", m.slaveDetail(ri));
    }
  }

  private static void reconfProgress(Monitor m, Instance ri) {
    Instance promoted = m.promotedSlave;
    if (promoted == null) return;
    if (ri.reconfSent && promoted.host.equalsIgnoreCase(String.valueOf(ri.slaveMasterHost)) && ri.slaveMasterPort == promoted.port) {
      ri.reconfSent = false;
      ri.reconfInprog = true;
      m.host.event("+slave-reconf-inprog", m.slaveDetail(ri));
    }
    if (ri.reconfInprog && ri.slaveLinkUp) {
      ri.reconfInprog = false;
      ri.reconfDone = true;
      m.host.event("+slave-reconf-done", m.slaveDetail(ri));
    }
  }
}
