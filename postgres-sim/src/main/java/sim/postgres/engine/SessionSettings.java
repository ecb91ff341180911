package sim.postgres.engine;

import sim.postgres.sql.Ast.SetVariable;

/** {@code SET name = value} for a session: the one setting sessions change here is synchronous_commit. */
final class SessionSettings {
  private SessionSettings() {}

  /** The synchronous_commit levels (guc_tables.c synchronous_commit_options; true/false/yes/no/1/0 are on/off). */
  static String synchronousCommitLevel(String value) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "off", "false", "no", "0" -> "off";
      case "local" -> "local";
      case "remote_write" -> "remote_write";
      case "on", "true", "yes", "1" -> "on";
      case "remote_apply" -> "remote_apply";
      default -> null;
    };
  }

  static Result set(Session s, SetVariable sv) {
    if (sv.name().startsWith("enable_") && s.planner.with(sv.name(), true) != null) {
      Boolean on = switch (sv.value().toLowerCase(java.util.Locale.ROOT)) {
        case "on", "true", "yes", "1" -> true;
        case "off", "false", "no", "0" -> false;
        default -> null;
      };
      if (on == null) return new Result.Error("22023", "parameter \"" + sv.name() + "\" requires a Boolean value");
      s.planner = s.planner.with(sv.name(), on);
      return new Result.Ok();
    }
    if (!sv.name().equals("synchronous_commit")) {
      return new Result.Error("42704", "unrecognized configuration parameter \"" + sv.name() + "\"");
    }
    String level = synchronousCommitLevel(sv.value());
    if (level == null) {
      return new Result.Error("22023", "invalid value for parameter \"synchronous_commit\": \"" + sv.value() + "\"");
    }
    s.synchronousCommit = level;
    return new Result.Ok();
  }
}
