// Test-only verifier, run with the JDK's single-file source launcher:
//   java VerifyJks.java <file> <password> <alias> <chainLength> [<file> <password> <alias> <chainLength> ...]
// Loads each store exactly as Salesforce's Java would (KeyStore.getInstance("JKS")), recovers the key
// with the store password, signs with it, verifies with chain[0] and checks every chain link.
// Prints "OK <file>" or "FAIL <file>: <reason>" per store; several stores per JVM start keep tests fast.
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.List;

public class VerifyJks {
  static void check(boolean ok, String message) {
    if (!ok) throw new AssertionError(message);
  }

  static void verify(String file, char[] pw, String alias, int chainLength) throws Exception {
    byte[] b = Files.readAllBytes(Path.of(file));
    check(b.length > 4 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xED && (b[2] & 0xff) == 0xFE && (b[3] & 0xff) == 0xED,
        "not JKS magic");
    KeyStore ks = KeyStore.getInstance("JKS");
    ks.load(new ByteArrayInputStream(b), pw);
    List<String> aliases = Collections.list(ks.aliases());
    check(aliases.equals(List.of(alias)) && ks.isKeyEntry(alias), "aliases " + aliases + " isKeyEntry=" + ks.isKeyEntry(alias));
    PrivateKey k = (PrivateKey) ks.getKey(alias, pw); // the store password opens the key
    check(k != null && "RSA".equals(k.getAlgorithm()) && "PKCS#8".equals(k.getFormat()), "key " + k);
    Certificate[] chain = ks.getCertificateChain(alias);
    check(chain.length == chainLength, "chain length " + chain.length);
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(k);
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    s.initVerify(chain[0].getPublicKey());
    s.update(new byte[] {1, 2, 3});
    check(s.verify(sig), "chain[0] does not match the key");
    for (int i = 0; i + 1 < chain.length; i++) chain[i].verify(chain[i + 1].getPublicKey()); // leaf -> root
  }

  public static void main(String[] a) {
    for (int i = 0; i + 3 < a.length; i += 4) {
      try {
        verify(a[i], a[i + 1].toCharArray(), a[i + 2], Integer.parseInt(a[i + 3]));
        System.out.println("OK " + a[i]);
      } catch (Throwable t) {
        System.out.println("FAIL " + a[i] + ": " + t);
      }
    }
  }
}
