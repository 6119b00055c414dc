using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Configuration;

internal static class ConfigurationExtensions
{
    /// <summary>Binds a section and validates it when the host starts, so a bad value stops startup.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services;
    }

    /// <summary>Binds and validates a section outside a host (for CLI commands that need one section).</summary>
    public static TOptions GetValidated<TOptions, TValidator>(this IConfiguration configuration, string section)
        where TOptions : class, new()
        where TValidator : IValidateOptions<TOptions>, new()
    {
        var options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var result = new TValidator().Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(section, typeof(TOptions), result.Failures);
        return options;
    }
}
