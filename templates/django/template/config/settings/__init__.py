"""Settings per environment: `base` holds what they share; `development`, `test` and
`production` each start from it. `config.env.select_settings_module()` picks one from APP_ENV.
"""
