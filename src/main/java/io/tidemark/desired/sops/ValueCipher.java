package io.tidemark.desired.sops;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SOPS' value format: {@code ENC[AES256_GCM,data:..,iv:..,tag:..,type:..]}, AES-256-GCM with a
 * 32-byte IV, a 16-byte tag kept apart from the data, and the key path ({@code a:b:}) as additional
 * data. Decrypted values keep their SOPS type: str, int, float, bool, bytes or comment.
 */
public final class ValueCipher {

  private static final Pattern FORMAT =
      Pattern.compile("^ENC\\[AES256_GCM,data:([^,]*),iv:([^,]+),tag:([^,]+),type:([^\\]]+)\\]");
  private static final int TAG_BYTES = 16;
  private static final int IV_BYTES = 32;

  /** A comment SOPS encrypted; never part of the MAC and dropped from the plain document. */
  public record Comment(String text) {}

  /** A value that does not open with the key and path given (tampered, or another data key). */
  public static final class BadValue extends Exception {
    BadValue(String message) {
      super(message, null, false, false);
    }
  }

  private ValueCipher() {}

  /** Whether {@code text} is in SOPS' encrypted value format. */
  public static boolean isEncrypted(String text) {
    return FORMAT.matcher(text).find();
  }

  /** The typed plain value; the empty string stays empty, as SOPS writes it unencrypted. */
  public static Object decrypt(String text, byte[] key, String additionalData) throws BadValue {
    if (text.isEmpty()) {
      return "";
    }
    Matcher m = FORMAT.matcher(text);
    if (!m.find()) {
      throw new BadValue("is not in SOPS' ENC[AES256_GCM,...] format");
    }
    byte[] plain;
    try {
      Base64.Decoder b64 = Base64.getDecoder();
      byte[] data = b64.decode(m.group(1));
      byte[] iv = b64.decode(m.group(2));
      byte[] tag = b64.decode(m.group(3));
      byte[] sealed = Arrays.copyOf(data, data.length + tag.length);
      System.arraycopy(tag, 0, sealed, data.length, tag.length);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(tag.length * 8, iv));
      cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
      plain = cipher.doFinal(sealed);
    } catch (IllegalArgumentException e) {
      throw new BadValue("has data, iv or tag that is not base64");
    } catch (GeneralSecurityException e) {
      throw new BadValue(
          "fails authentication: it was changed after encryption, or moved to another key path");
    }
    return typed(new String(plain, StandardCharsets.UTF_8), plain, m.group(4));
  }

  private static Object typed(String text, byte[] bytes, String type) throws BadValue {
    try {
      return switch (type) {
        case "str" -> text;
        case "int", "int64" -> Long.parseLong(text);
        case "float" -> Double.parseDouble(text);
        case "bytes" -> bytes;
        case "bool" -> parseBool(text);
        case "comment" -> new Comment(text);
        default -> throw new BadValue("has the unknown type '" + type + "'");
      };
    } catch (NumberFormatException e) {
      throw new BadValue("does not hold a valid " + type);
    }
  }

  private static boolean parseBool(String text) throws BadValue {
    return switch (text) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new BadValue("does not hold a valid bool");
    };
  }

  /** Encrypts a value as SOPS does; the empty string stays empty. */
  public static String encrypt(Object plain, byte[] key, String additionalData, SecureRandom random)
      throws GeneralSecurityException {
    if (plain instanceof String s && s.isEmpty()) {
      return "";
    }
    String type;
    byte[] bytes;
    if (plain instanceof Comment c) {
      type = "comment";
      bytes = c.text().getBytes(StandardCharsets.UTF_8);
    } else if (plain instanceof byte[] b) {
      type = "bytes";
      bytes = b;
    } else {
      if (plain instanceof String) {
        type = "str";
      } else if (plain instanceof Long || plain instanceof Integer) {
        type = "int";
      } else if (plain instanceof Double) {
        type = "float";
      } else if (plain instanceof Boolean) {
        type = "bool";
      } else {
        throw new IllegalArgumentException("cannot encrypt a " + plain.getClass());
      }
      bytes = MacBytes.of(plain);
    }
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    cipher.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
    byte[] sealed = cipher.doFinal(bytes);
    Base64.Encoder b64 = Base64.getEncoder();
    return "ENC[AES256_GCM,data:"
        + b64.encodeToString(Arrays.copyOf(sealed, sealed.length - TAG_BYTES))
        + ",iv:"
        + b64.encodeToString(iv)
        + ",tag:"
        + b64.encodeToString(Arrays.copyOfRange(sealed, sealed.length - TAG_BYTES, sealed.length))
        + ",type:"
        + type
        + "]";
  }
}
