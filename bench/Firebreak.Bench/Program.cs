// The benchmark harness is `firebreak bench`; this project runs it in Release with the same code:
//   dotnet run -c Release --project bench/Firebreak.Bench -- ingest --mentions 200000 --topics 10,50,100,1000
//   dotnet run -c Release --project bench/Firebreak.Bench -- series --mentions 5000000 --store bench/results/series-store
//   dotnet run -c Release --project bench/Firebreak.Bench -- terms
//   dotnet run -c Release --project bench/Firebreak.Bench -- detectors
//   dotnet run -c Release --project bench/Firebreak.Bench -- connectors
return await Firebreak.Cli.FirebreakCli.RunAsync(["bench", .. args]);
