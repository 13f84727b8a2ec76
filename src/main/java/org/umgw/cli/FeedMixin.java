package org.umgw.cli;

import java.time.Duration;
import java.util.Locale;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How a long-running command follows the directory: the same feed a SIP server embeds. */
final class FeedMixin {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--feed",
      defaultValue = "auto",
      paramLabel = "KIND",
      description =
          "How to follow the directory: auto (the best the server offers), syncrepl,"
              + " persistent-search, changelog or polling (default: ${DEFAULT-VALUE}).")
  String feed;

  @Option(
      names = "--poll-interval",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description =
          "How often the directory is re-read when it offers no change feed (default:"
              + " ${DEFAULT-VALUE}).")
  long pollSeconds;

  /**
   * @throws ParameterException naming the value when --feed or --poll-interval is not valid
   */
  FeedOptions options() {
    if (pollSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--poll-interval must be at least 1 second, not " + pollSeconds);
    }
    FeedKind kind =
        switch (feed.toLowerCase(Locale.ROOT)) {
          case "auto" -> null;
          case "syncrepl" -> FeedKind.SYNCREPL;
          case "persistent-search" -> FeedKind.PERSISTENT_SEARCH;
          case "changelog" -> FeedKind.CHANGELOG;
          case "polling" -> FeedKind.POLLING;
          default ->
              throw new ParameterException(
                  spec.commandLine(),
                  "--feed \""
                      + feed
                      + "\" is not one of auto, syncrepl, persistent-search, changelog, polling");
        };
    return FeedOptions.defaults().withPollInterval(Duration.ofSeconds(pollSeconds)).withKind(kind);
  }
}
