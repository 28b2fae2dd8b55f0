KIND = "shop"
