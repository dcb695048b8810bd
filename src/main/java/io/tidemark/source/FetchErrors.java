package io.tidemark.source;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;

/**
 * Turns a failed fetch into a {@link SourceException} that says what went wrong in words an
 * operator acts on: unreachable remote, authentication failed, host key refused, not a repository.
 * Messages carry the credential-free URL and never a password.
 */
final class FetchErrors {

  private final GitSettings settings;

  FetchErrors(GitSettings settings) {
    this.settings = settings;
  }

  SourceException describe(Throwable failure) {
    String detail = detail(failure);
    String lower = detail.toLowerCase(Locale.ROOT);
    String url = settings.url();
    String reason;
    if (lower.contains("not authorized")
        || lower.contains("authentication")
        || lower.contains("cannot log in")
        || lower.contains("auth fail")
        || lower.contains("not permitted")) {
      reason = "authentication failed for " + url + credentialHint();
    } else if (lower.contains("server key") || lower.contains("host key")) {
      reason =
          "host key of "
              + url
              + " was refused: it is not in the known_hosts file"
              + settings.knownHostsFile().map(p -> " " + p).orElse(" (none configured)");
    } else if (has(failure, NoRemoteRepositoryException.class)
        || lower.contains("not found")
        || lower.contains("not a git repository")
        || lower.contains("not a valid git repository")) {
      reason = url + " is not a git repository (or it does not exist)";
    } else if (has(failure, UnknownHostException.class)
        || has(failure, ConnectException.class)
        || has(failure, NoRouteToHostException.class)
        || has(failure, SocketTimeoutException.class)
        || lower.contains("connection refused")
        || lower.contains("timed out")
        || lower.contains("timeout")
        || lower.contains("unknown host")
        || lower.contains("cannot open")) {
      reason = "remote " + url + " is unreachable";
    } else {
      reason = "cannot fetch " + url;
    }
    // The JGit exception is not chained: its messages are already in the text, redacted, and a
    // stack trace printed later would show them unredacted.
    return new SourceException(reason + ": " + detail, null);
  }

  private String credentialHint() {
    if (settings.isSsh()) {
      return settings.sshKeyFile().isPresent()
          ? " (check the SSH key " + settings.sshKeyFile().get() + ")"
          : " (no SSH key configured)";
    }
    return settings.password().isPresent()
        ? " (check the user name and the password file)"
        : " (no credentials configured)";
  }

  /** The innermost distinct messages of the cause chain, with any secret blanked out. */
  private String detail(Throwable failure) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
        if (text.length() > 0) {
          text.append(": ");
        }
        text.append(message.strip());
      }
    }
    String result = text.length() == 0 ? failure.getClass().getSimpleName() : text.toString();
    // JGit starts most messages with the URL, which the reason already names.
    result = result.replace(settings.url() + ": ", "");
    return redact(result);
  }

  /** Blanks out the password wherever a library may have echoed it. */
  String redact(String text) {
    String result = text;
    if (settings.password().isPresent()) {
      result = result.replace(settings.password().get(), "****");
    }
    return result;
  }

  private static boolean has(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
