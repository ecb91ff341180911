package sim.redis.command;

import java.util.Map;
import java.util.TreeMap;

/** The counters INFO stats, commandstats and errorstats report (server.stat_*, c->cmd->calls, errors). */
public final class Stats {
  /** Per command: calls, rejected (before running: arity, MISCONF...), failed (replied an error). */
  public static final class CommandCounts {
    public long calls;
    public long rejected;
    public long failed;
  }

  public long commandsProcessed;
  public long connectionsReceived;
  public long keyspaceHits;
  public long keyspaceMisses;
  public long errorReplies;
  public final Map<String, CommandCounts> commands = new TreeMap<>();
  public final Map<String, Long> errors = new TreeMap<>();

  CommandCounts of(String command) {
    return commands.computeIfAbsent(command, k -> new CommandCounts());
  }

  /** An error reply: counted under its first word (ERR, WRONGTYPE, MISCONF...), as errorstats does. */
  void error(String text) {
    errorReplies++;
    int space = text.indexOf(' ');
    String code = space < 0 ? text : text.substring(0, space);
    errors.merge(code, 1L, Long::sum);
  }

  /** CONFIG RESETSTAT (resetServerStats plus resetCommandTableStats and resetErrorTableStats). */
  void reset() {
    commandsProcessed = 0;
    connectionsReceived = 0;
    keyspaceHits = 0;
    keyspaceMisses = 0;
    errorReplies = 0;
    commands.clear();
    errors.clear();
  }
}
