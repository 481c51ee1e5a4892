// Runs the example of docs/csharp.md so that it cannot rot: the ```csharp
// blocks, in order, form the body of one Main; the program's output must be
// exactly the ```text blocks, in order.
//   mono DocExampleRunner.exe MARKDOWN WORK_DIR MCS MONO QTENSOR_DLL
using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

static class DocExampleRunner {
  static string Blocks(string markdown, string language) {
    var text = new StringBuilder();
    var fence = new Regex("^```" + language + "\\n(.*?)^```$",
                          RegexOptions.Multiline | RegexOptions.Singleline);
    foreach (Match match in fence.Matches(markdown)) text.Append(match.Groups[1].Value);
    return text.ToString();
  }

  static string Run(string program, string arguments, out int status) {
    var start = new ProcessStartInfo(program, arguments) {
      UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true
    };
    using (Process process = Process.Start(start)) {
      var errors = process.StandardError.ReadToEndAsync();
      string output = process.StandardOutput.ReadToEnd();
      process.WaitForExit();
      status = process.ExitCode;
      return output + errors.Result;
    }
  }

  static int Main(string[] args) {
    if (args.Length != 5) {
      Console.Error.WriteLine("usage: DocExampleRunner.exe MARKDOWN WORK_DIR MCS MONO QTENSOR_DLL");
      return 2;
    }
    string markdown = File.ReadAllText(args[0]).Replace("\r\n", "\n");
    string workDir = args[1];
    string code = Blocks(markdown, "csharp");
    string expected = Blocks(markdown, "text");
    if (code.Length == 0 || expected.Length == 0) {
      Console.Error.WriteLine($"{args[0]} has no csharp or text blocks");
      return 1;
    }
    Directory.CreateDirectory(workDir);
    string source = Path.Combine(workDir, "DocExample.cs");
    string program = Path.Combine(workDir, "DocExample.exe");
    File.WriteAllText(source, "using System;\nusing System.IO;\nusing QTensor;\n\n" +
                                  "static class DocExample {\n  static void Main() {\n" + code +
                                  "  }\n}\n");
    File.Copy(args[4], Path.Combine(workDir, "QTensor.dll"), true);
    // The build tree's assembly has a dllmap beside it; an installed
    // package's has none (its runtimes/ folder, which the caller puts in
    // workDir, serves instead).
    if (File.Exists(args[4] + ".config")) {
      File.Copy(args[4] + ".config", Path.Combine(workDir, "QTensor.dll.config"), true);
    }

    int status;
    string compiler = Run(args[2], $"-nologo -out:\"{program}\" -r:\"{args[4]}\" \"{source}\"",
                          out status);
    if (status != 0) {
      Console.Error.WriteLine("the example does not compile:\n" + compiler);
      return 1;
    }
    string output = Run(args[3], $"\"{program}\"", out status);
    if (status != 0 || output != expected) {
      Console.Error.WriteLine($"the example (exit status {status}) printed:\n{output}\n" +
                              $"docs/csharp.md expects:\n{expected}");
      return 1;
    }
    Console.WriteLine($"the example printed the {expected.Split('\n').Length - 1} expected lines");
    return 0;
  }
}
