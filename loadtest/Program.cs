using Fairlane.LoadTest;

// fairlane-loadtest: drives a running Fairlane fleet and measures it from the events themselves.
return await LoadTestCommand.RunAsync(args);
