package io.sr4j.ckpt.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sr4j.data.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDictTest {

  private static Tensor scalar(float value) {
    return new Tensor(null, new long[0], "float32", new float[] {value}, null);
  }

  private static StateDict dict(String... keys) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      tensors.put(keys[i], scalar(i));
    }
    return new StateDict("net.pth", tensors);
  }

  @Test
  void keepsFileOrderAndNamesTensorsByKey() {
    StateDict sd = dict("b.weight", "a.weight", "c");

    assertEquals(List.of("b.weight", "a.weight", "c"), List.copyOf(sd.keys()));
    assertEquals("a.weight", sd.get("a.weight").name());
    assertEquals(1f, sd.get("a.weight").get());
    assertTrue(sd.find("d").isEmpty());
  }

  @Test
  void missingKeyListsTheClosestKeys() {
    StateDict sd = dict("conv_first.weight", "conv_first.bias", "RRDB_trunk.0.RDB1.conv1.weight", "upconv1.weight");

    String message = assertThrows(BadInputException.class, () -> sd.get("conv_frist.weight")).getMessage();

    assertTrue(message.startsWith("net.pth has no tensor 'conv_frist.weight' (it holds 4 tensors); closest keys: "
        + "'conv_first.weight', 'conv_first.bias'"), message);
  }

  @Test
  void stripPrefixRemovesItWhereItIs() {
    StateDict sd = dict("module.conv.weight", "module.conv.bias", "step").stripPrefix("module.");

    assertEquals(List.of("conv.weight", "conv.bias", "step"), List.copyOf(sd.keys()));
    assertEquals("conv.weight", sd.get("conv.weight").name());
    String message = assertThrows(BadInputException.class,
        () -> dict("module.a", "a").stripPrefix("module.")).getMessage();
    assertTrue(message.contains("would give two tensors the key 'a'"), message);
  }

  @Test
  void selectKeepsOneSubModule() {
    StateDict sd = dict("netG.conv.weight", "netD.conv.weight", "netG.conv.bias");

    assertEquals(List.of("conv.weight", "conv.bias"), List.copyOf(sd.select("netG.").keys()));
    String message = assertThrows(BadInputException.class, () -> sd.select("generator.")).getMessage();
    assertEquals("net.pth has no key starting with 'generator.'; its keys start with: 'netG.', 'netD.'", message);
  }
}
