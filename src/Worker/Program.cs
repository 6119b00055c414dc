using Fairlane.Worker.Cli;

// Every command, including the default `run`, goes through the CLI so that each failure
// ends in a documented exit code (see `fairlane --help`).
return await FairlaneCli.RunAsync(args);
