package sim.redis.server;

import java.util.ArrayList;
import java.util.List;

/** Per-connection state (Redis's client struct): the selected db and the MULTI queue. */
public final class ClientState {
  private final String name;
  int db;
  boolean inMulti;
  boolean dirtyExec; // CLIENT_DIRTY_EXEC: a command failed to queue
  final List<List<String>> queued = new ArrayList<>();

  public ClientState(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public int db() {
    return db;
  }

  public void select(int db) {
    this.db = db;
  }

  public boolean inMulti() {
    return inMulti;
  }

  void resetMulti() {
    inMulti = false;
    dirtyExec = false;
    queued.clear();
  }
}
