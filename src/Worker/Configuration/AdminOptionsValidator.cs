using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Configuration;

internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions o)
    {
        var e = new SettingErrors(AdminOptions.Section);
        if (!o.Enabled) return e.Result();
        e.Require(System.Net.IPAddress.TryParse(o.BindAddress, out _), nameof(o.BindAddress), $"must be an IP address; got '{o.BindAddress}'.");
        e.Require(o.Port is >= 1 and <= 65535, nameof(o.Port), $"must be a port between 1 and 65535; got {o.Port}.");
        // Never echo the token: it is a secret.
        if (string.IsNullOrWhiteSpace(o.Token))
            e.Add(nameof(o.Token), $"is required while the admin API is enabled: a random string of at least {AdminOptions.MinTokenLength} characters "
                                   + "(e.g. from 'openssl rand -hex 32'), or set Admin:Enabled=false.");
        else if (o.Token.Length < AdminOptions.MinTokenLength)
            e.Add(nameof(o.Token), $"is too short: it needs at least {AdminOptions.MinTokenLength} characters; it has {o.Token.Length}.");
        else if (o.Token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            e.Add(nameof(o.Token), "must not contain spaces or control characters (it travels in an Authorization header).");
        return e.Result();
    }

    /// <summary>The admin listener cannot share the metrics port: each port serves only its own endpoints.</summary>
    public static ValidateOptionsResult PortsDiffer(AdminOptions admin, HttpOptions http)
    {
        var e = new SettingErrors(AdminOptions.Section);
        e.Require(!admin.Enabled || admin.Port != http.MetricsPort, nameof(admin.Port),
            $"must differ from Http:MetricsPort ({http.MetricsPort}); got {admin.Port}.");
        return e.Result();
    }
}
