package sim.redis.command;

import java.util.Set;

/** multi.c's rule for what runs at once inside MULTI instead of being queued. */
final class Transactions {
  private static final Set<String> AT_ONCE = Set.of("exec", "discard", "multi", "watch", "quit", "reset");

  private Transactions() {}

  static boolean runsAtOnceInMulti(String command) {
    return AT_ONCE.contains(command);
  }
}
