package io.tidemark.desired.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words as a POSIX shell would for quoting (single quotes, double
 * quotes, backslash escapes), without expansion; the docker CLI does the same for string commands.
 */
public final class ShellWords {

  private ShellWords() {}

  /** The words of {@code text}; throws when a quote is not closed. */
  public static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\'
            && i + 1 < text.length()
            && "\\\"$`\n".indexOf(text.charAt(i + 1)) >= 0) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        inWord = true;
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
        } else {
          word.append(c);
        }
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed quote in command");
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
