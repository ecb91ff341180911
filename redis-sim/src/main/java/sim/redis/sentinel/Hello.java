package sim.redis.sentinel;

import sim.core.NodeId;

/** sentinelProcessHelloMessage: adopt a greater current epoch, and a master configuration of a greater epoch. */
final class Hello {
  private Hello() {}

  static void process(Monitor m, String payload, NodeId from) {
    String[] t = payload.split(",");
    if (t.length != 8 || !t[4].equals(m.name)) return;
    SentinelHost host = m.host;
    long currentEpoch = Long.parseLong(t[3]);
    long masterConfigEpoch = Long.parseLong(t[7]);
    if (currentEpoch > host.currentEpoch()) {
      host.currentEpoch(currentEpoch);
      host.flushConfig();
      host.event("+new-epoch", Long.toString(currentEpoch));
    }
    if (m.configEpoch >= masterConfigEpoch) return;
    m.configEpoch = masterConfigEpoch;
    host.flushConfig();
    int port = Integer.parseInt(t[6]);
    if (port == m.master.port && t[5].equals(m.master.host)) return;
    host.event("+config-update-from", "sentinel " + t[2] + " " + from.name() + " " + t[1] + " @ " + m.name + " " + m.master.host + " " + m.master.port);
    host.event("+switch-master", m.name + " " + m.master.host + " " + m.master.port + " " + t[5] + " " + port);
    m.resetAndChangeAddress(t[5], port);
  }
}
