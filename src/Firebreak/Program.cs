using Firebreak.Cli;

return await FirebreakCli.RunAsync(args);
