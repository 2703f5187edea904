package io.sr4j.ckpt.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sr4j.data.BadInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-assembled pickles (opcodes as chars or ints, text as strings), for cases PyTorch does not write. */
class TorchUnpicklerTest {

  private static ByteBuffer pickle(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
      } else if (part instanceof Character c) {
        out.write(c);
      } else {
        out.write((Integer) part);
      }
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  private static String error(ByteBuffer pickle) {
    return assertThrows(BadInputException.class,
        () -> new TorchUnpickler("x.pth", "entry x/data.pkl", pickle).load()).getMessage();
  }

  @Test
  void stopsAtTheFirstForbiddenGlobal() {
    // PROTO 2, GLOBAL posix.system, then bytes that are no valid opcode: reading them would fail differently.
    String message = error(pickle(0x80, 2, "cposix\nsystem\n", 0xff, 0xff));

    assertEquals("refusing to load x.pth: it references posix.system, which a weights file never needs", message);
  }

  @Test
  void refusesTorchObjectsOtherThanTensors() {
    String message = error(pickle(0x80, 2, "ctorch.nn.modules.conv\nConv2d\n", ')', 'R', '.'));

    assertEquals("refusing to load x.pth: it references torch.nn.modules.conv.Conv2d, which this reader does not "
        + "support: it reads tensors in dicts, lists and tuples (save model.state_dict() rather than the model)",
        message);
  }

  @Test
  void callsNothingButTheTensorFunctions() {
    // A storage class may appear in a persistent id but is not a function to call.
    String message = error(pickle(0x80, 2, "ctorch\nFloatStorage\n", ')', 'R', '.'));

    assertEquals("x.pth: expected REDUCE to call one of [collections.OrderedDict, torch._utils._rebuild_tensor, "
        + "torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter, "
        + "torch._utils._rebuild_parameter_with_state], found torch.FloatStorage "
        + "(entry x/data.pkl, opcode at byte 23)",
        message);
  }

  @Test
  void refusesOpcodesTorchNeverWrites() {
    // INST names a class inline and instantiates it.
    String message = error(pickle(0x80, 2, '(', "ios\nsystem\n", '.'));

    assertEquals("x.pth: expected one of the pickle opcodes torch.save writes, found 0x69 ('i') "
        + "(entry x/data.pkl, opcode at byte 3)", message);
  }

  @Test
  void readsPlainContainers() {
    // {'a': [1, -2, 3.5], 'b': (True, None), 'c': OrderedDict()}, protocol 2.
    Object value = new TorchUnpickler("x.pth", "test", pickle(0x80, 2, '}', 'q', 0, '(',
        'X', 1, 0, 0, 0, "a", ']', '(', 'K', 1, 'J', 0xfe, 0xff, 0xff, 0xff,
        'G', 0x40, 0x0c, 0, 0, 0, 0, 0, 0, 'e',
        'X', 1, 0, 0, 0, "b", 0x88, 'N', 0x86,
        'X', 1, 0, 0, 0, "c", "ccollections\nOrderedDict\n", ')', 'R', 'u', '.')).load();

    @SuppressWarnings("unchecked")
    Map<Object, Object> dict = (Map<Object, Object>) value;
    assertEquals(List.of("a", "b", "c"), List.copyOf(dict.keySet()));
    assertEquals(List.of(1L, -2L, 3.5), dict.get("a"));
    assertEquals(TorchUnpickler.Tuple.class, dict.get("b").getClass());
    assertEquals(Map.of(), dict.get("c"));
  }
}
