-- Limits against SMS pumping (issue 14): each sign-in code keeps its
-- client's network (an IPv4 /24, an IPv6 /48), for a daily cap per
-- network, and its phone's country, for a daily budget per country.
-- Codes from before carry '' and count for neither.
ALTER TABLE otp_codes ADD COLUMN net_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE otp_codes ADD COLUMN country TEXT NOT NULL DEFAULT '';
CREATE INDEX otp_codes_net ON otp_codes (net_prefix, created_at);
CREATE INDEX otp_codes_country ON otp_codes (country, created_at);
