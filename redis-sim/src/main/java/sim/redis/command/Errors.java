package sim.redis.command;

/** Redis 7.0's shared error replies (server.c createSharedObjects) and formats, without the leading '-'. */
public final class Errors {
  private Errors() {}

  public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
  public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
  public static final String NOT_FLOAT = "ERR value is not a valid float";
  public static final String SYNTAX = "ERR syntax error";
  public static final String OVERFLOW = "ERR increment or decrement would overflow";
  public static final String DB_RANGE = "ERR DB index is out of range";
  public static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";
  public static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

  public static String arity(String name) {
    return "ERR wrong number of arguments for '" + name + "' command";
  }

  public static String invalidExpire(String name) {
    return "ERR invalid expire time in '" + name + "' command";
  }

  /** processCommand's reply to an unknown command: the name and the first arguments, 128 chars at most. */
  public static String unknownCommand(java.util.List<String> argv) {
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < argv.size() && args.length() < 128; i++) {
      String a = argv.get(i);
      int room = 128 - args.length();
      args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
    }
    String name = argv.get(0);
    return "ERR unknown command '" + name.substring(0, Math.min(128, name.length())) + "', with args beginning with: " + args;
  }

  /** addReplySubcommandSyntaxError. */
  public static String subcommandSyntax(Call c) {
    String sub = c.arg(1);
    return "ERR unknown subcommand or wrong number of arguments for '" + sub.substring(0, Math.min(128, sub.length()))
        + "'. Try " + c.arg(0).toUpperCase(java.util.Locale.ROOT) + " HELP.";
  }
}
